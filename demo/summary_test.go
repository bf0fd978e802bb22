package demo

import (
	"math/big"
	"strings"
	"testing"

	"github.com/podiumhq/podium/chain/payout"
)

func TestFailureKind(t *testing.T) {
	for _, tt := range []struct{ msg, want string }{
		{"P360p30fps16x9: Black: mean gray 0.0 with no detail (spread 0.0, the source's 65.9)", "P360p30fps16x9: Black"},
		{"P240p30fps16x9: Stale: the frame counter says segment 3", "P240p30fps16x9: Stale"},
		{"no renditions", "no renditions"},
	} {
		if got := failureKind(tt.msg); got != tt.want {
			t.Errorf("failureKind(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}

// TestSummary_Problems: a round is a success only if it ran tests, caught
// and did not pay its cheaters, paid someone, and reconciled.
func TestSummary_Problems(t *testing.T) {
	ok := func() *Summary {
		return &Summary{Records: 40, Verified: true,
			Lines: []Line{
				{Name: "fast", Amount: big.NewInt(5), Verified: 10},
				{Name: "cheater", Cheats: true, Amount: new(big.Int), VerificationFailures: 12},
			},
			Payout:      &Payout{Reconcile: &payout.Reconciliation{Payments: []payout.Paid{{Found: true}}}},
			PaidOnChain: &payout.Reconciliation{Payments: []payout.Paid{{Found: true}}},
			AI:          AITally{Ran: 6, Failed: 3, ByPipeline: map[string][2]int{"upscale": {3, 2}, "text-to-image": {3, 1}}},
		}
	}
	if p := ok().Problems(); len(p) != 0 {
		t.Fatalf("a good round has problems: %q", p)
	}
	for _, tt := range []struct {
		name  string
		spoil func(s *Summary)
		want  string
	}{
		{"ErrNoTest", func(s *Summary) { s.Records = 0 }, "ran no test"},
		{"ErrCheaterMissed", func(s *Summary) { s.Lines[1].VerificationFailures = 0 }, "was not caught"},
		{"ErrCheaterPaid", func(s *Summary) { s.Lines[1].Amount = big.NewInt(1) }, "cheater cheater was paid"},
		{"ErrPaidNobody", func(s *Summary) { s.Payout, s.PaidOnChain = nil, nil }, "paid nobody"},
		{"ErrNotReconciled", func(s *Summary) { s.PaidOnChain.Payments[0].Found = false }, "did not reconcile"},
		{"ErrVerify", func(s *Summary) { s.Verified = false }, "verify found differences"},
		{"ErrChain", func(s *Summary) { s.ChainDiffs = []string{"x"} }, "chain differs"},
		{"ErrNoAITest", func(s *Summary) { s.AI = AITally{} }, "no AI test ran"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := ok()
			tt.spoil(s)
			p := s.Problems()
			if len(p) == 0 || !strings.Contains(strings.Join(p, "\n"), tt.want) || s.OK() {
				t.Errorf("problems %q, want one saying %q", p, tt.want)
			}
		})
	}
}

func TestSummary_WriteAI(t *testing.T) {
	var b strings.Builder
	s := &Summary{AI: AITally{Ran: 6, Failed: 3, ByPipeline: map[string][2]int{"upscale": {3, 2}, "text-to-image": {3, 1}}}}
	s.writeAI(&b)
	if want := "AI tests: 6 ran, 3 failed (text-to-image 1/3 failed, upscale 2/3 failed)\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
