package rules

import (
	"math/big"
	"sort"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// AICell is one pipeline, model and region: where an AI score is met.
type AICell struct {
	Pipeline, Model, Region string
}

// AIStanding is an orchestrator's AI score in one cell.
type AIStanding struct {
	Address string
	AICell
	Score podium.Score
	Tests int64
	Rank  int // in a top-N pool's ranking; 0 otherwise
}

// indexAI adds the snapshot's AI scores of the round's regions to the
// board, each taken from its sums against its frozen median.
func (b *Board) indexAI(s *podium.Snapshot) {
	b.ai = map[string]map[AICell]AIStanding{}
	if s.AI == nil {
		return
	}
	regions := podium.NewRegionSet(b.r.Regions)
	for _, e := range s.AI.Aggregates {
		if e.Tests == 0 || !regions.Has(e.Region) {
			continue
		}
		c := AICell{e.Pipeline, e.Model, e.Region}
		m, ok := s.AI.Median(c.Pipeline, c.Model, c.Region)
		if b.ai[e.Orchestrator] == nil {
			b.ai[e.Orchestrator] = map[AICell]AIStanding{}
			b.aiAddrs = append(b.aiAddrs, e.Orchestrator)
		}
		b.ai[e.Orchestrator][c] = AIStanding{Address: e.Orchestrator, AICell: c, Score: score.OfAIAggregate(e.AIAggregate, m, ok), Tests: e.Tests}
		if !contains(b.pipelines, c.Pipeline) {
			b.pipelines = append(b.pipelines, c.Pipeline)
		}
	}
	sort.Strings(b.aiAddrs)
	sort.Strings(b.pipelines)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// AIScore returns addr's AI score in cell c and whether there was any data.
func (b *Board) AIScore(addr string, c AICell) (podium.Score, bool) {
	st, ok := b.ai[addr][c]
	return st.Score, ok
}

// AIAddresses returns every orchestrator with AI data in a round region,
// sorted.
func (b *Board) AIAddresses() []string { return b.aiAddrs }

// aiLess orders AI standings: score desc, round trip score desc (the
// latency of the AI score), then address, pipeline, model and region asc.
func aiLess(a, b AIStanding) bool {
	if a.Score.Total != b.Score.Total || a.Score.RoundTripScore != b.Score.RoundTripScore || a.Address != b.Address {
		return less(Standing{Address: a.Address, Score: a.Score}, Standing{Address: b.Address, Score: b.Score})
	}
	if a.Pipeline != b.Pipeline {
		return a.Pipeline < b.Pipeline
	}
	if a.Model != b.Model {
		return a.Model < b.Model
	}
	return a.Region < b.Region
}

// aiQualifies reports whether addr meets e's AI score, and the standing
// that qualified it. Within one pipeline and model the regions of e's
// scope decide as for transcoding (any/list: the best region that passes;
// all: every region passes, the lowest stands); across the pipelines and
// models e allows (pipeline narrows them further when set), the best
// standing wins.
func (b *Board) aiQualifies(addr string, e podium.Eligibility, pipeline string) (AIStanding, bool) {
	regions := b.r.ScopeRegions(e.Regions)
	type pm struct{ pipeline, model string }
	var groups []pm
	for c := range b.ai[addr] {
		g := pm{c.Pipeline, c.Model}
		if (e.Pipeline != "" && g.pipeline != e.Pipeline) || (e.Model != "" && g.model != e.Model) || (pipeline != "" && g.pipeline != pipeline) {
			continue
		}
		found := false
		for _, h := range groups {
			found = found || h == g
		}
		if !found {
			groups = append(groups, g)
		}
	}
	var best AIStanding
	ok := false
	for _, g := range groups {
		var pick AIStanding
		picked, failed := false, false
		for _, region := range regions {
			st, has := b.ai[addr][AICell{g.pipeline, g.model, region}]
			pass := has && Passes(st.Score, e.MinScore)
			if e.Regions.Mode == podium.ScopeAll {
				if !pass {
					failed = true
					break
				}
				if !picked || aiLess(pick, st) {
					pick, picked = st, true
				}
				continue
			}
			if pass && (!picked || aiLess(st, pick)) {
				pick, picked = st, true
			}
		}
		if failed || !picked {
			continue
		}
		if !ok || aiLess(pick, best) {
			best, ok = pick, true
		}
	}
	return best, ok
}

// payAI returns the payments of an AI pool: its top N per region (one
// pipeline and model) or per pipeline (each orchestrator's best model), or
// everyone who qualifies.
func (b *Board) payAI(pool podium.Pool) []payment {
	e := pool.Eligible
	award := func(st AIStanding, rank int) payment {
		return payment{addr: st.Address, pool: pool.Name, region: st.Region, rank: rank, pipeline: st.Pipeline, model: st.Model}
	}
	if e.Top > 0 {
		var out []payment
		for _, ranked := range b.AIRankings(pool) {
			for _, st := range ranked[:min(len(ranked), e.Top)] {
				out = append(out, award(st, st.Rank))
			}
		}
		each := perRecipient(pool, len(out))
		if each.Sign() == 0 {
			return nil
		}
		for i := range out {
			out[i].amount = new(big.Int).Set(each)
		}
		return out
	}
	var stands []AIStanding
	for _, addr := range b.aiAddrs {
		if !b.candidate(addr, e) {
			continue
		}
		if st, ok := b.aiQualifies(addr, e, ""); ok {
			stands = append(stands, st)
		}
	}
	pays := make([]payment, len(stands))
	weights := make([]podium.Score, len(stands))
	for i, st := range stands {
		pays[i] = award(st, 0)
		weights[i] = st.Score
	}
	return b.split(pool, pays, weights)
}

// AIRankings returns the rankings of a top-N AI pool, each ranked by
// aiLess with its ranks set, among those who may be paid and meet its
// score: per: region, one per region of its scope for its pipeline and
// model; per: pipeline, one per pipeline (its own, or every pipeline in
// the snapshot in byte order) of each orchestrator's best standing.
func (b *Board) AIRankings(pool podium.Pool) [][]AIStanding {
	e := pool.Eligible
	var out [][]AIStanding
	rank := func(list []AIStanding) []AIStanding {
		sort.Slice(list, func(i, j int) bool { return aiLess(list[i], list[j]) })
		for i := range list {
			list[i].Rank = i + 1
		}
		return list
	}
	if e.Per == podium.PerRegion {
		for _, region := range b.r.ScopeRegions(e.Regions) {
			var list []AIStanding
			for _, addr := range b.aiAddrs {
				st, ok := b.ai[addr][AICell{e.Pipeline, e.Model, region}]
				if ok && b.candidate(addr, e) && Passes(st.Score, e.MinScore) {
					list = append(list, st)
				}
			}
			out = append(out, rank(list))
		}
		return out
	}
	pipelines := b.pipelines
	if e.Pipeline != "" {
		pipelines = []string{e.Pipeline}
	}
	for _, pl := range pipelines {
		var list []AIStanding
		for _, addr := range b.aiAddrs {
			if !b.candidate(addr, e) {
				continue
			}
			if st, ok := b.aiQualifies(addr, e, pl); ok {
				list = append(list, st)
			}
		}
		out = append(out, rank(list))
	}
	return out
}
