package demo

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/web"
)

// Costs is what testing cost in the round: the leaderboard's totals, the
// ones an administrator reads (GET /api/v1/costs), checked against the
// probers' own count of what they posted.
type Costs struct {
	// Leaderboard is the leaderboard's total by region, and Total in all.
	Leaderboard map[string]podium.CostSum
	Total       podium.CostSum
	// Posted is the cost of the records the probers posted and the
	// leaderboard stored, by region, as the probers count it.
	Posted map[string]podium.CostSum
	// Paid is what the probers paid, by region, withheld tests included.
	Paid map[string]lpnet.Cost
	// Diffs are the regions where Leaderboard and Posted differ; none
	// when the leaderboard kept every cost exactly.
	Diffs []string
}

// roundCosts reads the leaderboard at url for what the tests of
// [start, end) cost and checks it against the probers' count.
func roundCosts(ctx context.Context, url string, start, end time.Time, ps *probers) (*Costs, error) {
	body, err := web.NewClient(url, nil).Costs(ctx, podium.StatsQuery{Since: start.Unix(), Until: end.Unix()})
	if err != nil {
		return nil, fmt.Errorf("read the cost of testing from the leaderboard: %w", err)
	}
	c := &Costs{Leaderboard: body.Regions, Total: body.Total, Posted: ps.postedCosts(), Paid: ps.costs()}
	c.Diffs = compareCosts(c.Leaderboard, c.Posted)
	return c, nil
}

// compareCosts lists the regions whose totals differ between the
// leaderboard and the probers' count: tests, tickets, face value or the
// exact expected value.
func compareCosts(lb, posted map[string]podium.CostSum) []string {
	var diffs []string
	for _, r := range Regions {
		a, b := lb[r], posted[r]
		if a.Tests != b.Tests || a.Tickets != b.Tickets || orZero(a.FaceValue).Cmp(orZero(b.FaceValue)) != 0 ||
			ratOrZero(a.ExpectedValue).Cmp(ratOrZero(b.ExpectedValue)) != 0 {
			diffs = append(diffs, fmt.Sprintf("%s: the leaderboard counts %s, the probers posted %s", r, costLine(a), costLine(b)))
		}
	}
	return diffs
}

// writeTesting prints what testing cost by region, from the leaderboard,
// its check against the probers, and who redeemed what.
func writeTesting(w io.Writer, c *Costs, red []Redemption, failed int) {
	fmt.Fprintf(w, "\n== Cost of testing (tickets at %d/%d wei per pixel, cap %s; the leaderboard's totals)\n",
		Price.PricePerUnit, Price.PixelsPerUnit, MaxPrice.RatString())
	for _, r := range Regions {
		fmt.Fprintf(w, "%-4s %s\n", r, costLine(c.Leaderboard[r]))
	}
	fmt.Fprintf(w, "all  %s\n", costLine(c.Total))
	if len(c.Diffs) == 0 {
		fmt.Fprintf(w, "the probers' own count of what they posted agrees, to the exact wei fraction\n")
	}
	for _, d := range c.Diffs {
		fmt.Fprintf(w, "MISMATCH %s\n", d)
	}
	for _, r := range Regions {
		paid, posted := c.Paid[r], c.Posted[r]
		if paid.Tickets != int(posted.Tickets) {
			fmt.Fprintf(w, "%s also paid %d tickets for tests it withheld or could not post\n", r, paid.Tickets-int(posted.Tickets))
		}
	}
	if len(red) == 0 {
		fmt.Fprintf(w, "no ticket won yet\n")
	}
	for _, x := range red {
		fmt.Fprintf(w, "%-8s redeemed %d winning tickets: %s wei\n", x.Name, x.Tickets, x.Wei)
	}
	if failed > 0 {
		fmt.Fprintf(w, "%d redemptions failed (see demo.log)\n", failed)
	}
}

// costLine says a total in one line.
func costLine(s podium.CostSum) string {
	return fmt.Sprintf("%d paid tests, %d tickets, expected value %s wei", s.Tests, s.Tickets, s.ExpectedWei())
}

func ratOrZero(x *big.Rat) *big.Rat {
	if x == nil {
		return new(big.Rat)
	}
	return x
}
