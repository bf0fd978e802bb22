package demo

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/verify"
)

// Summary is what the demo did, for people (Write) and for tests.
type Summary struct {
	Dir, URL       string
	SnapshotID     string
	DistributionID string
	Records        int64
	Distribution   *podium.Distribution
	Lines          []Line // one per orchestrator, most paid first
	// Payout is nil when the distribution pays nobody.
	Payout *Payout
	// Txs are the payout's transaction hashes, in order.
	Txs []string
	// Verified is `podium verify` on the published files: no difference.
	Verified    bool
	Differences []string
	// PaidOnChain is `podium verify --rpc`: the published distribution
	// against the token's Transfer logs.
	PaidOnChain *payout.Reconciliation
	// ChainDiffs are differences between the distribution and the chain (its
	// Transfer logs, the payees' balances); none when all is as published.
	ChainDiffs []string
	// Balances are each payee's test LPT after the payout.
	Balances map[string]*big.Int
	Files    []string
	// Costs is what testing paid in tickets, from the leaderboard's
	// totals, checked against the probers; Redemptions the winning tickets
	// the orchestrators redeemed (by the snapshot).
	Costs       *Costs
	Redemptions []Redemption
	// AI counts the AI tests the probers ran and those that failed.
	AI AITally
}

// Line is one orchestrator's result.
type Line struct {
	Name, Address string
	Character     string
	Excluded      bool
	Cheats        bool // its renditions are not honest transcodes
	Amount        *big.Int
	Awards        []podium.Award
	// Scores are the snapshot's scores on 0–10 by region; a region without
	// tests is absent (no data is not a zero).
	Scores               map[string]float64
	Verified             int64
	VerificationFailures int64
	// FailureReasons are the verifier's reasons, with counts, e.g. "stale ×12".
	FailureReasons []string
	// Why says why it got what it got.
	Why string
}

type summaryInput struct {
	dir, url       string
	program        *podium.Program
	snap           *podium.Snapshot
	snapID, distID string
	dist           *podium.Distribution
	nodes          []*Node
	payout         *Payout
	verify         *verify.Result
	paid           *payout.Reconciliation
	chainDiffs     []string
	balances       map[string]*big.Int
	files          []string
}

func buildSummary(in summaryInput) *Summary {
	s := &Summary{Dir: in.dir, URL: in.url, SnapshotID: in.snapID, DistributionID: in.distID, Records: in.snap.Records.Count,
		Distribution: in.dist, Payout: in.payout, Verified: in.verify.OK(), PaidOnChain: in.paid, ChainDiffs: in.chainDiffs,
		Balances: in.balances, Files: in.files}
	if in.payout != nil {
		s.Txs = in.payout.Txs
	}
	for _, d := range in.verify.Differences {
		s.Differences = append(s.Differences, d.String())
	}
	paid := map[string]podium.Recipient{}
	for _, r := range in.dist.Recipients {
		paid[r.Address] = r
	}
	for _, n := range in.nodes {
		l := Line{Name: n.Character.Name, Address: n.Address, Character: n.Character.Why, Excluded: n.Excluded, Cheats: n.Character.Cheats,
			Amount: new(big.Int), Scores: map[string]float64{}}
		if r, ok := paid[n.Address]; ok {
			l.Amount.SetString(r.Amount, 10)
			l.Awards = r.Awards
		}
		for _, e := range in.snap.Aggregates {
			if e.Orchestrator != n.Address || e.Tests == 0 {
				continue
			}
			l.Scores[e.Region] = e.Score.Total * 10
			l.Verified += e.VerifiedRenditions
			l.VerificationFailures += e.VerificationFailures
		}
		l.Why = why(l, in.program)
		s.Lines = append(s.Lines, l)
	}
	sort.SliceStable(s.Lines, func(i, j int) bool { return s.Lines[i].Amount.Cmp(s.Lines[j].Amount) > 0 })
	return s
}

// why explains a line's amount in the program's terms.
func why(l Line, p *podium.Program) string {
	best := 0.0
	for _, v := range l.Scores {
		best = max(best, v)
	}
	switch {
	case l.Excluded:
		return "excluded by the program (operated by Livepeer Inc.)"
	case len(l.Scores) == 0:
		return "no test in the window"
	case l.VerificationFailures > 0:
		return fmt.Sprintf("unverified: %d renditions failed verification", l.VerificationFailures)
	case l.Amount.Sign() == 0 && !rules.Passes(podium.Score{Total: best / 10}, 3):
		return fmt.Sprintf("best score %.2f is under 3 in every region", best)
	case l.Verified == 0:
		return "unverified: no rendition came back verified"
	case l.Amount.Sign() == 0:
		return "qualified, but no pool had room"
	}
	var parts []string
	for _, a := range l.Awards {
		amt, _ := new(big.Int).SetString(a.Amount, 10)
		if a.Region != "" {
			parts = append(parts, fmt.Sprintf("%s %s #%d %s", a.Pool, a.Region, a.Rank, podium.FormatAmount(amt, p.Token.Decimals)))
		} else {
			parts = append(parts, fmt.Sprintf("%s %s", a.Pool, podium.FormatAmount(amt, p.Token.Decimals)))
		}
	}
	return strings.Join(parts, " + ")
}

// failures fills in the verifier's reasons for the orchestrators whose
// renditions failed verification, from their raw records in the window.
func (s *Summary) failures(ctx context.Context, st podium.StatsStore, snap *podium.Snapshot) error {
	for i := range s.Lines {
		l := &s.Lines[i]
		if l.VerificationFailures == 0 {
			continue
		}
		recs, err := st.RawStats(ctx, podium.StatsQuery{Orchestrator: l.Address, Since: snap.Since, Until: snap.Until})
		if err != nil {
			return err
		}
		count := map[string]int{}
		for _, r := range recs {
			for _, e := range r.Errors {
				if e.ErrorCode == podium.ErrorCodeVerificationFailed {
					count[failureKind(e.Message)] += e.Count
				}
			}
		}
		for reason, n := range count {
			l.FailureReasons = append(l.FailureReasons, fmt.Sprintf("%s ×%d", reason, n))
		}
		sort.Strings(l.FailureReasons)
	}
	return nil
}

// Write prints the summary.
func (s *Summary) Write(w io.Writer) {
	fmt.Fprintf(w, "\n== Round 1 results (%d tests in the snapshot)\n", s.Records)
	fmt.Fprintf(w, "%-8s %-12s %5s %5s %5s %24s  %s\n", "name", "address", "MDW", "FRA", "SIN", "LPT", "why")
	for _, l := range s.Lines {
		score := func(r string) string {
			if v, ok := l.Scores[r]; ok {
				return fmt.Sprintf("%.1f", v)
			}
			return "–"
		}
		fmt.Fprintf(w, "%-8s %-12s %5s %5s %5s %24s  %s\n", l.Name, l.Address[:6]+"…"+l.Address[38:], score("MDW"), score("FRA"), score("SIN"),
			podium.FormatAmount(l.Amount, 18), l.Why)
		if len(l.FailureReasons) > 0 {
			fmt.Fprintf(w, "%-8s verification failures: %s\n", "", strings.Join(l.FailureReasons, ", "))
		}
	}
	s.writeAI(w)
	fmt.Fprintf(w, "total %s LPT paid, %s LPT undistributed", lpt(s.Distribution.Total), lpt(s.Distribution.Undistributed))
	if s.Distribution.Undistributed != "0" {
		fmt.Fprintf(w, " (split remainders, empty top-3 places)")
	}
	fmt.Fprintln(w)

	if s.Payout == nil {
		fmt.Fprintf(w, "\n== Payout\nnothing to pay: nobody qualified (on a busy machine round trips grow and scores fall)\n")
	} else {
		fmt.Fprintf(w, "\n== Payout (%s method, plan %s)\n", s.Payout.Method, s.Payout.PlanHash)
		for _, tx := range s.Txs {
			fmt.Fprintf(w, "tx %s\n", tx)
		}
		if rec := s.Payout.Reconcile; rec.OK() {
			fmt.Fprintf(w, "reconciled: all %d payments found exactly once in the token's Transfer logs, nothing else sent\n", len(rec.Payments))
		} else {
			fmt.Fprintf(w, "NOT reconciled: %d payments missing, %d extra transfers\n", rec.Missing(), len(rec.Extra))
		}
	}

	fmt.Fprintf(w, "\n== Verify\n")
	if s.Verified {
		fmt.Fprintf(w, "OK: the distribution is exactly what the rules give for the snapshot\n")
	}
	for _, d := range s.Differences {
		fmt.Fprintf(w, "DIFFERS %s\n", d)
	}
	switch {
	case len(s.ChainDiffs) > 0:
	case s.PaidOnChain != nil:
		fmt.Fprintf(w, "OK: blocks %d-%d hold each of the %d payments exactly once and nothing else; every payee's balance is its amount\n",
			s.PaidOnChain.FromBlock, s.PaidOnChain.ToBlock, len(s.PaidOnChain.Payments))
	default:
		fmt.Fprintf(w, "OK: no orchestrator holds test LPT, as the empty distribution says\n")
	}
	for _, d := range s.ChainDiffs {
		fmt.Fprintf(w, "CHAIN DIFFERS %s\n", d)
	}

	fmt.Fprintf(w, "\n== Files in %s\n", s.Dir)
	for _, f := range s.Files {
		fmt.Fprintf(w, "  %s\n", strings.TrimPrefix(f, s.Dir+"/"))
	}
	fmt.Fprintf(w, "web UI: %s (the round: %s/rounds/1)\n", s.URL, s.URL)
}

// OK reports whether the round was a success: see Problems.
func (s *Summary) OK() bool { return len(s.Problems()) == 0 }

// Problems lists why the round is not a success, each with what to do: a
// round that ran no test, caught no cheater, paid nobody, or whose payout
// or distribution does not check out proves nothing.
func (s *Summary) Problems() []string {
	var out []string
	if s.Records == 0 {
		out = append(out, "the round ran no test: no record reached the snapshot; the probers' errors are in demo.log")
	}
	for _, l := range s.Lines {
		switch {
		case !l.Cheats || s.Records == 0:
		case l.VerificationFailures == 0:
			out = append(out, fmt.Sprintf("the cheater %s was not caught: none of its renditions failed verification", l.Name))
		case l.Amount.Sign() != 0:
			out = append(out, fmt.Sprintf("the cheater %s was paid %s LPT", l.Name, podium.FormatAmount(l.Amount, 18)))
		}
	}
	if s.Records > 0 && s.AI.Ran == 0 {
		out = append(out, "no AI test ran: the probers' AI errors are in demo.log")
	}
	switch {
	case s.Payout == nil:
		out = append(out, "the round paid nobody: no orchestrator scored 3 (a machine busy with other work slows every round trip; run the demo on an idle machine, or with fewer --orchestrators)")
	case !s.Payout.Reconcile.OK() || !s.PaidOnChain.OK():
		out = append(out, "the payout did not reconcile with the token's Transfer logs; see the payout section above")
	}
	if !s.Verified {
		out = append(out, "podium verify found differences between the published distribution and the rules")
	}
	if len(s.ChainDiffs) > 0 {
		out = append(out, "the chain differs from the published distribution")
	}
	if s.Costs != nil && len(s.Costs.Diffs) > 0 {
		out = append(out, "the leaderboard's cost of testing differs from what the probers posted; see the cost section above")
	}
	return out
}

// failureKind shortens a verification failure's message to its profile and
// reason ("P360p30fps16x9: Black"), dropping the measured detail, so that
// failures of one kind are counted together.
func failureKind(msg string) string {
	parts := strings.SplitN(msg, ": ", 3)
	if len(parts) < 3 {
		return msg
	}
	return parts[0] + ": " + parts[1]
}

// writeAI prints how many AI tests ran and failed, by pipeline.
func (s *Summary) writeAI(w io.Writer) {
	fmt.Fprintf(w, "AI tests: %d ran, %d failed", s.AI.Ran, s.AI.Failed)
	ps := make([]string, 0, len(s.AI.ByPipeline))
	for p := range s.AI.ByPipeline {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	for i, p := range ps {
		sep := ", "
		if i == 0 {
			sep = " ("
		}
		c := s.AI.ByPipeline[p]
		fmt.Fprintf(w, "%s%s %d/%d failed", sep, p, c[1], c[0])
	}
	if len(ps) > 0 {
		fmt.Fprint(w, ")")
	}
	fmt.Fprintln(w)
}
