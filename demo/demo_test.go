package demo_test

import (
	"bytes"
	"context"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/demo"
)

// TestRun_OK runs the demo in its shortest form (6 orchestrators, a 75 s
// round, 2 segments a test) and checks the summary against the characters
// and the dev chain's balances against the distribution.
func TestRun_OK(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	s, err := demo.Run(ctx, demo.Config{
		Dir: dir, Round: 75 * time.Second, Listen: "127.0.0.1:0", Orchestrators: 6, Segments: 2, Exit: true,
		StatusEvery: 15 * time.Second, Out: &out,
	})
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
	if !s.Verified || len(s.Differences) > 0 {
		t.Errorf("verify: %v", s.Differences)
	}
	if len(s.Distribution.Recipients) == 0 {
		// A machine too busy for anyone to score 3: nothing is paid.
		if s.Payout != nil || len(s.Txs) > 0 {
			t.Errorf("an empty distribution was paid: %+v", s.Payout)
		}
	} else {
		if !s.Payout.Reconcile.OK() || !s.PaidOnChain.OK() {
			t.Errorf("payout not reconciled: %d missing, %d extra", s.Payout.Reconcile.Missing(), len(s.Payout.Reconcile.Extra))
		}
		if len(s.Txs) == 0 {
			t.Error("no payout transaction")
		}
	}
	// A round that paid nobody is not a success, whatever the reason.
	if problems := s.Problems(); len(s.Distribution.Recipients) == 0 {
		if len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), "paid nobody") {
			t.Errorf("an empty round is called a success: problems %q", problems)
		}
	} else if len(problems) > 0 {
		t.Errorf("summary not OK: %q", problems)
	}
	// Every region paid for its tests with tickets.
	// The leaderboard's totals say so, and agree with the probers' count.
	for _, r := range demo.Regions {
		if c := s.Costs.Leaderboard[r]; c.Tickets == 0 || c.ExpectedValue.Sign() <= 0 {
			t.Errorf("region %s paid %d tickets (EV %v) for its tests, says the leaderboard", r, c.Tickets, c.ExpectedValue)
		}
		if paid, posted := s.Costs.Paid[r], s.Costs.Posted[r]; int64(paid.Tickets) < posted.Tickets || paid.EV.Cmp(posted.ExpectedValue) < 0 {
			t.Errorf("region %s posted more cost (%d tickets) than it paid (%d)", r, posted.Tickets, paid.Tickets)
		}
	}
	if len(s.Costs.Diffs) > 0 {
		t.Errorf("the leaderboard's costs differ from the probers': %q", s.Costs.Diffs)
	}
	if !strings.Contains(out.String(), "== Cost of testing") {
		t.Error("the demo does not report the cost of testing")
	}
	// One ticket in ten wins: with 100-odd tickets, some are redeemed.
	if len(s.Redemptions) == 0 {
		t.Error("no winning ticket was redeemed")
	}

	// fast and cheater serve AI: every cycle tests their pipelines, and
	// the cheater's blank pictures fail.
	if s.AI.Ran == 0 || s.AI.Failed == 0 || s.AI.Failed >= s.AI.Ran || !strings.Contains(out.String(), "AI tests: ") {
		t.Errorf("AI tests: %+v; want some run, some (the cheater's) failed, and the summary to say so", s.AI)
	}

	lines := map[string]demo.Line{}
	for _, l := range s.Lines {
		lines[l.Name] = l
	}
	if len(lines) != 6 {
		t.Fatalf("%d orchestrators in the summary, want 6", len(lines))
	}
	if c := lines["cheater"]; c.Amount.Sign() != 0 || c.VerificationFailures == 0 || len(c.FailureReasons) == 0 {
		t.Errorf("cheater: paid %s, %d verification failures %v; want nothing paid and failures shown", c.Amount, c.VerificationFailures, c.FailureReasons)
	}
	if c := lines["inc"]; c.Amount.Sign() != 0 || !c.Excluded {
		t.Errorf("excluded orchestrator: paid %s, excluded %v", c.Amount, c.Excluded)
	}
	for _, l := range s.Lines {
		if eligible(l) && l.Amount.Sign() == 0 {
			t.Errorf("%s is eligible (scores %v, %d verified) but got nothing: %s", l.Name, l.Scores, l.Verified, l.Why)
		}
		if !eligible(l) && l.Amount.Sign() != 0 {
			t.Errorf("%s is not eligible (scores %v, %d failures) but got %s", l.Name, l.Scores, l.VerificationFailures, l.Amount)
		}
	}

	// Amounts sum exactly, within the budget, and each payee holds its amount.
	d := s.Distribution
	sum := new(big.Int)
	want := map[string]*big.Int{}
	for _, r := range d.Recipients {
		a := amount(t, r.Amount)
		sum.Add(sum, a)
		want[r.Payee()] = a
	}
	if sum.Cmp(amount(t, d.Total)) != 0 {
		t.Errorf("recipients sum to %s, total says %s", sum, d.Total)
	}
	budget, _ := podium.ParseAmount("580", 18)
	if got := new(big.Int).Add(sum, amount(t, d.Undistributed)); got.Cmp(budget) != 0 {
		t.Errorf("total + undistributed = %s, want the budget %s", got, budget)
	}
	for addr, b := range s.Balances {
		w := want[addr]
		if w == nil {
			w = new(big.Int)
		}
		if b.Cmp(w) != 0 {
			t.Errorf("%s holds %s on the dev chain, the distribution pays it %s", addr, b, w)
		}
	}
	if len(s.ChainDiffs) > 0 {
		t.Errorf("chain: %v", s.ChainDiffs)
	}

	files := []string{"program.yaml", "snapshot.json", "distribution.json", "report/report.md", "report/round-1-results-mdw.png", "demo.log"}
	if s.Payout != nil {
		files = append(files, "payout/plan.json")
	}
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("file: %v", err)
		}
	}
	if s.Payout != nil && !strings.Contains(out.String(), "reconciled: all") {
		t.Error("summary does not say the payout reconciled")
	}
	checkNoChildren(t)
}

// eligible says whether the rules should pay l: not excluded, verified,
// and a score of 3 or more in some region.
func eligible(l demo.Line) bool {
	if l.Excluded || l.VerificationFailures > 0 || l.Verified == 0 {
		return false
	}
	for _, v := range l.Scores {
		if v >= 3 {
			return true
		}
	}
	return false
}

func amount(t *testing.T, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("amount %q", s)
	}
	return v
}

// checkNoChildren fails if any process started by the test (ffmpeg) is
// still running after Run returned.
func checkNoChildren(t *testing.T) {
	t.Helper()
	me := strconv.Itoa(os.Getpid())
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+1:])
		if len(fields) > 1 && fields[1] == me {
			t.Errorf("process left behind: %s", strings.TrimSpace(s[:i+1]))
		}
	}
}
