// Package verify recomputes a published round from its files — the program,
// the snapshot and the distribution — and reports every field where the
// published distribution differs from the recomputed one. Further checks
// (the on-chain transfers) add their differences to the same Result.
package verify

import (
	"fmt"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/score"
)

// Difference is one field where what was published is not what it should be.
type Difference struct {
	Field string `json:"field"`
	Want  string `json:"want"` // recomputed
	Got   string `json:"got"`  // published
}

func (d Difference) String() string {
	return fmt.Sprintf("%s: published %s, recomputed %s", d.Field, show(d.Got), show(d.Want))
}

func show(s string) string {
	if s == "" {
		return "(nothing)"
	}
	return s
}

// Result is the outcome of a verification.
type Result struct {
	RulesID        string `json:"rules_id"`
	SnapshotID     string `json:"snapshot_id"`
	DistributionID string `json:"distribution_id"`
	// Recomputed is the distribution the rules give, for further checks
	// (the on-chain transfers are compared with it, not with the file).
	Recomputed  *podium.Distribution `json:"-"`
	Differences []Difference         `json:"differences"`
}

// OK reports whether nothing differs.
func (r *Result) OK() bool { return len(r.Differences) == 0 }

// Add records a difference unless want and got are equal.
func (r *Result) Add(field, want, got string) {
	if want != got {
		r.Differences = append(r.Differences, Difference{Field: field, Want: want, Got: got})
	}
}

// Round recomputes round id of p from the snapshot file's bytes and
// compares the distribution file's bytes with the result. Inputs that
// cannot be read at all are errors; everything else is a Difference.
func Round(p *podium.Program, id int, snapshotFile, distributionFile []byte) (*Result, error) {
	s, err := podium.ParseSnapshot(snapshotFile)
	if err != nil {
		return nil, err
	}
	published, err := podium.ParseDistribution(distributionFile)
	if err != nil {
		return nil, err
	}
	res := &Result{SnapshotID: podium.ContentID(snapshotFile), DistributionID: podium.ContentID(distributionFile)}
	if res.RulesID, err = p.RulesID(id); err != nil {
		return nil, err
	}
	checkScores(res, s)
	r, err := p.Round(id)
	if err != nil {
		return nil, err
	}
	checkAI(res, r, s)
	out, err := rules.Compute(p, id, s)
	if err != nil {
		return nil, err
	}
	want := out.Distribution
	res.Recomputed = &want
	compare(res, &want, published)
	if canon, err := published.Canonical(); err == nil && string(canon) != string(distributionFile) {
		res.Add("distribution file", "canonical JSON", "other bytes with the same content")
	}
	return res, nil
}

// checkScores checks that the scores printed in the snapshot are the ones
// its sums give; the rules use the sums, but people read the scores.
func checkScores(res *Result, s *podium.Snapshot) {
	for _, e := range s.Aggregates {
		want, got := score.Of(e.Aggregate), e.Score
		field := fmt.Sprintf("snapshot.aggregates[%s/%s].score", e.Orchestrator, e.Region)
		res.Add(field, fmt.Sprint(want), fmt.Sprint(got))
	}
}

func compare(res *Result, want, got *podium.Distribution) {
	res.Add("program", want.Program, got.Program)
	res.Add("round", fmt.Sprint(want.Round), fmt.Sprint(got.Round))
	res.Add("rules_id", want.RulesID, got.RulesID)
	res.Add("snapshot_id", want.SnapshotID, got.SnapshotID)
	res.Add("token.symbol", want.Token.Symbol, got.Token.Symbol)
	res.Add("token.decimals", fmt.Sprint(want.Token.Decimals), fmt.Sprint(got.Token.Decimals))
	wantBy := index(want.Recipients)
	gotBy := index(got.Recipients)
	for _, w := range want.Recipients {
		field := "recipients[" + w.Address + "]"
		g, ok := gotBy[w.Address]
		if !ok {
			res.Add(field, "amount "+w.Amount, "")
			continue
		}
		res.Add(field+".amount", w.Amount, g.Amount)
		res.Add(field+".pay_to", w.PayTo, g.PayTo)
		res.Add(field+".awards", podium.FormatAwards(w.Awards), podium.FormatAwards(g.Awards))
	}
	for _, g := range got.Recipients {
		if _, ok := wantBy[g.Address]; !ok {
			res.Add("recipients["+g.Address+"]", "", "amount "+g.Amount)
		}
	}
	order := make([]string, len(got.Recipients))
	for i, r := range got.Recipients {
		order[i] = r.Address
	}
	sorted := make([]string, len(want.Recipients))
	for i, r := range want.Recipients {
		sorted[i] = r.Address
	}
	if len(order) == len(sorted) {
		res.Add("recipients order", strings.Join(sorted, ","), strings.Join(order, ","))
	}
	res.Add("total", want.Total, got.Total)
	res.Add("undistributed", want.Undistributed, got.Undistributed)
}

func index(rs []podium.Recipient) map[string]podium.Recipient {
	m := make(map[string]podium.Recipient, len(rs))
	for _, r := range rs {
		m[r.Address] = r
	}
	return m
}
