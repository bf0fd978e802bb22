package rules_test

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/rules"
)

func lpt(s string) string {
	v, err := podium.ParseAmount(s, 18)
	if err != nil {
		panic(err)
	}
	return v.String()
}

// describe renders a distribution's recipients one per line, for
// comparisons that show every difference at once.
func describe(d podium.Distribution) string {
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

func TestCompute_Round1(t *testing.T) {
	p := loadProgram(t, "round1.yaml")
	reg := []podium.Orchestrator{{Address: round1.MajOrcha, Name: "majOrcha", PayoutAddress: "0x2000000000000000000000000000000000000002"}}
	out, err := rules.Compute(p, 1, snap(t, p, 1, round1.Records(), reg))
	if err != nil {
		t.Fatal(err)
	}
	// 4000 LPT among 7 qualified: 571.428571428571428571 each, 3 wei left.
	share := "571428571428571428571"
	top := lpt("200")
	plus := func(n int) string {
		v, _ := new(big.Int).SetString(share, 10)
		t200, _ := new(big.Int).SetString(top, 10)
		return v.Add(v, new(big.Int).Mul(big.NewInt(int64(n)), t200)).String()
	}
	want := strings.Join([]string{
		fmt.Sprintf("%s pay_to= %s: qualified//0=%s regional-top5/FRA/1=%s", round1.Vires, plus(1), share, top),
		fmt.Sprintf("%s pay_to=0x2000000000000000000000000000000000000002 %s: qualified//0=%s regional-top5/MDW/1=%s regional-top5/FRA/3=%s regional-top5/SIN/1=%s",
			round1.MajOrcha, plus(3), share, top, top, top),
		fmt.Sprintf("%s pay_to= %s: qualified//0=%s regional-top5/MDW/2=%s regional-top5/FRA/4=%s", round1.Staked, plus(2), share, top, top),
		fmt.Sprintf("%s pay_to= %s: qualified//0=%s regional-top5/MDW/3=%s regional-top5/FRA/2=%s", round1.Orcha, plus(2), share, top, top),
		fmt.Sprintf("%s pay_to= %s: qualified//0=%s regional-top5/MDW/5=%s", round1.Tied5a, plus(1), share, top),
		fmt.Sprintf("%s pay_to= %s: qualified//0=%s", round1.Tied5b, share, share),
		fmt.Sprintf("%s pay_to= %s: qualified//0=%s regional-top5/MDW/4=%s", round1.Steady, plus(1), share, top),
		// 7 × share + 10 × 200 paid; 1000 LPT and 3 wei stay with the admin.
		fmt.Sprintf("total=%s undistributed=%s", "5999999999999999999997", "1000000000000000000003"),
	}, "\n") + "\n"
	if got := describe(out.Distribution); got != want {
		t.Fatalf("distribution\n got:\n%s\nwant:\n%s", got, want)
	}
	if out.Pools[0].Paid.String() != "3999999999999999999997" || out.Pools[1].Paid.String() != lpt("2000") || out.Pools[1].Recipients != 10 {
		t.Fatalf("pools %+v %+v", out.Pools[0], out.Pools[1])
	}
}
