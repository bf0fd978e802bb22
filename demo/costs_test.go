package demo

import (
	"math/big"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
)

func TestCompareCosts(t *testing.T) {
	sum := func(tests, tickets int64, ev *big.Rat) podium.CostSum {
		return podium.CostSum{Tests: tests, Tickets: tickets, FaceValue: big.NewInt(100 * tickets), ExpectedValue: ev}
	}
	posted := map[string]podium.CostSum{"MDW": sum(2, 3, big.NewRat(1, 3)), "FRA": sum(1, 1, big.NewRat(5, 1))}
	t.Run("OK", func(t *testing.T) {
		lb := map[string]podium.CostSum{"MDW": sum(2, 3, big.NewRat(2, 6)), "FRA": sum(1, 1, big.NewRat(5, 1)), "SIN": {}}
		if d := compareCosts(lb, posted); len(d) != 0 {
			t.Fatalf("equal totals differ: %q", d)
		}
	})
	for _, tc := range []struct {
		name string
		lb   podium.CostSum
	}{
		{"ErrTests", sum(3, 3, big.NewRat(1, 3))},
		{"ErrTickets", sum(2, 4, big.NewRat(1, 3))},
		{"ErrFractionLost", sum(2, 3, big.NewRat(333333, 1000000))},
		{"ErrMissing", podium.CostSum{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lb := map[string]podium.CostSum{"MDW": tc.lb, "FRA": posted["FRA"]}
			d := compareCosts(lb, posted)
			if len(d) != 1 || !strings.HasPrefix(d[0], "MDW:") {
				t.Fatalf("got %q, want MDW's difference", d)
			}
		})
	}
}
