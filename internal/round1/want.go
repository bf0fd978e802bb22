package round1

import (
	"fmt"
	"strings"

	"github.com/podiumhq/podium"
)

// Want is Round 1's distribution for the test week, one recipient a line as
// Describe writes it, worked out by hand:
//
//   - qualified (≥ 3 in any region, not excluded, verified): Vires, MajOrcha,
//     Staked, Orcha, Tied5a, Tied5b, Steady = 7, so 4000 LPT / 7 =
//     571.428571428571428571 each with 3 wei left over;
//   - MDW top 5: MajOrcha 9.33, Staked 8.84, Orcha 6.92, Steady 6.48, then
//     Tied5a and Tied5b both 5.19 — the lower address takes 5th place;
//   - FRA: Vires 9.82, Orcha 7.85, MajOrcha 7.78, Staked 6.05 (4 qualify);
//   - SIN: MajOrcha 3.79 alone; JustUnder's 2.97 does not count;
//   - Livepeer Inc., Failed and NeverChecked score best but get nothing;
//     OutsideOnly's perfect tests are outside the window;
//   - paid 7 × 571.428571428571428571 + 10 × 200; the 1000 LPT of the five
//     empty regional places and the 3 wei stay undistributed.
var Want = strings.Join([]string{
	Vires + " pay_to= 771428571428571428571: qualified//0=571428571428571428571 regional-top5/FRA/1=200000000000000000000",
	MajOrcha + " pay_to=0x2000000000000000000000000000000000000002 1171428571428571428571: qualified//0=571428571428571428571 regional-top5/MDW/1=200000000000000000000 regional-top5/FRA/3=200000000000000000000 regional-top5/SIN/1=200000000000000000000",
	Staked + " pay_to= 971428571428571428571: qualified//0=571428571428571428571 regional-top5/MDW/2=200000000000000000000 regional-top5/FRA/4=200000000000000000000",
	Orcha + " pay_to= 971428571428571428571: qualified//0=571428571428571428571 regional-top5/MDW/3=200000000000000000000 regional-top5/FRA/2=200000000000000000000",
	Tied5a + " pay_to= 771428571428571428571: qualified//0=571428571428571428571 regional-top5/MDW/5=200000000000000000000",
	Tied5b + " pay_to= 571428571428571428571: qualified//0=571428571428571428571",
	Steady + " pay_to= 771428571428571428571: qualified//0=571428571428571428571 regional-top5/MDW/4=200000000000000000000",
	"total=5999999999999999999997 undistributed=1000000000000000000003",
}, "\n") + "\n"

// Describe renders a distribution one recipient a line, for comparisons
// that show every difference at once.
func Describe(d podium.Distribution) string {
	var b strings.Builder
	for _, r := range d.Recipients {
		fmt.Fprintf(&b, "%s pay_to=%s %s:", r.Address, r.PayTo, r.Amount)
		for _, a := range r.Awards {
			fmt.Fprintf(&b, " %s/%s/%d=%s", a.Pool, a.Region, a.Rank, a.Amount)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "total=%s undistributed=%s\n", d.Total, d.Undistributed)
	return b.String()
}
