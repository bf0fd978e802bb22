// Package rules computes a round's rewards from its rules and a snapshot:
// who is eligible for which pool, the rankings, and the exact amounts. It is
// pure: no I/O and no clock, so a distribution is a function of its inputs
// and anyone can recompute it.
package rules

import (
	"math/big"
	"sort"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// Standing is one orchestrator in one region of a snapshot.
type Standing struct {
	Address string
	Region  string
	Score   podium.Score // 0–1 scale, from the snapshot's sums
	Tests   int64
	// Rank is the place in the region among those who may be paid (not
	// excluded, verified when the round requires it); 0 for the others.
	Rank       int
	Excluded   bool
	Unverified bool
}

// Board is what the rules see in a snapshot: scores per orchestrator and
// region, and whether each orchestrator's renditions were verified.
type Board struct {
	p        *podium.Program
	r        *podium.Round
	scores   map[string]map[string]podium.Score // address → region → score, the round's regions with data only
	tests    map[string]map[string]int64
	verified map[string]bool // ≥ 1 verified rendition, no failure, across all regions
	totals   map[string]podium.Aggregate
	addrs    []string // sorted
	// The AI scores: address → pipeline, model and region → standing
	// (the round's regions with data only), who has any, and the
	// pipelines seen, both sorted.
	ai        map[string]map[AICell]AIStanding
	aiAddrs   []string
	pipelines []string
}

// NewBoard indexes the snapshot s for round r of p.
func NewBoard(p *podium.Program, r *podium.Round, s *podium.Snapshot) *Board {
	b := &Board{p: p, r: r, scores: map[string]map[string]podium.Score{}, tests: map[string]map[string]int64{}, verified: map[string]bool{}}
	regions := podium.NewRegionSet(r.Regions)
	totals := map[string]podium.Aggregate{}
	for _, e := range s.Aggregates {
		totals[e.Orchestrator] = totals[e.Orchestrator].Add(e.Aggregate)
		if e.Tests == 0 || !regions.Has(e.Region) {
			continue
		}
		if b.scores[e.Orchestrator] == nil {
			b.scores[e.Orchestrator] = map[string]podium.Score{}
			b.tests[e.Orchestrator] = map[string]int64{}
			b.addrs = append(b.addrs, e.Orchestrator)
		}
		b.scores[e.Orchestrator][e.Region] = score.Of(e.Aggregate)
		b.tests[e.Orchestrator][e.Region] = e.Tests
	}
	for addr, t := range totals {
		b.verified[addr] = t.VerifiedRenditions >= 1 && t.VerificationFailures == 0
	}
	b.totals = totals
	sort.Strings(b.addrs)
	b.indexAI(s)
	return b
}

// Verified reports whether addr had at least one verified rendition and no
// verification failure in the window, across all regions.
func (b *Board) Verified(addr string) bool { return b.verified[addr] }

// Renditions returns addr's verified renditions and verification failures
// in the window, across all regions.
func (b *Board) Renditions(addr string) (verified, failures int64) {
	t := b.totals[addr]
	return t.VerifiedRenditions, t.VerificationFailures
}

// Score returns addr's score in region and whether there was any data.
func (b *Board) Score(addr, region string) (podium.Score, bool) {
	s, ok := b.scores[addr][region]
	return s, ok
}

// Addresses returns every orchestrator with data in a round region, sorted.
func (b *Board) Addresses() []string { return b.addrs }

// candidate reports whether addr may receive from a pool at all.
func (b *Board) candidate(addr string, e podium.Eligibility) bool {
	if _, excluded := b.r.Excluded(addr); excluded {
		return false
	}
	return !e.RequireVerified || b.verified[addr]
}

// Passes reports whether a score meets min on the 0–10 scale.
func Passes(s podium.Score, min float64) bool { return s.Total*10 >= min }

// less orders two orchestrators in a region: score desc, latency desc,
// address asc (docs/design.md §5.3).
func less(a, b Standing) bool {
	if a.Score.Total != b.Score.Total {
		return a.Score.Total > b.Score.Total
	}
	if a.Score.RoundTripScore != b.Score.RoundTripScore {
		return a.Score.RoundTripScore > b.Score.RoundTripScore
	}
	return a.Address < b.Address
}

// Region returns everyone with data in region, ranked; the excluded and,
// when the round requires verification, the unverified are listed after
// the ranked ones without a rank.
func (b *Board) Region(region string) []Standing {
	var ranked, others []Standing
	for _, addr := range b.addrs {
		s, ok := b.scores[addr][region]
		if !ok {
			continue
		}
		st := Standing{Address: addr, Region: region, Score: s, Tests: b.tests[addr][region]}
		_, st.Excluded = b.r.Excluded(addr)
		st.Unverified = b.r.RequireVerified && !b.verified[addr]
		if st.Excluded || st.Unverified {
			others = append(others, st)
			continue
		}
		ranked = append(ranked, st)
	}
	sort.Slice(ranked, func(i, j int) bool { return less(ranked[i], ranked[j]) })
	sort.Slice(others, func(i, j int) bool { return less(others[i], others[j]) })
	for i := range ranked {
		ranked[i].Rank = i + 1
	}
	return append(ranked, others...)
}

// weight is an eligible orchestrator's score for a proportional split, in
// billionths so the split is exact integer arithmetic.
func weight(s podium.Score) *big.Int {
	return big.NewInt(podium.RateUnits(s.Total))
}
