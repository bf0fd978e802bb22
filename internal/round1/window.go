package round1

import (
	"sort"
	"time"

	"github.com/podiumhq/podium"
)

// Window does what a store does for a snapshot, for tests that need no
// store: the records in [at − window, at) and their sums per orchestrator
// and region, sorted. AI records are returned among the records but not
// summed, as a store keeps them apart.
func Window(recs []podium.Stats, at time.Time, window time.Duration) ([]podium.Aggregate, []podium.Stats) {
	since, until := at.Add(-window).Unix(), at.Unix()
	sums := map[[2]string]podium.Aggregate{}
	var in []podium.Stats
	for _, s := range recs {
		if s.Timestamp < since || s.Timestamp >= until {
			continue
		}
		in = append(in, s)
		if s.IsAI() {
			continue
		}
		k := [2]string{s.Orchestrator, s.Region}
		sums[k] = sums[k].Add(s.Aggregate())
	}
	aggs := make([]podium.Aggregate, 0, len(sums))
	for _, a := range sums {
		aggs = append(aggs, a)
	}
	sort.Slice(aggs, func(i, j int) bool {
		if aggs[i].Orchestrator != aggs[j].Orchestrator {
			return aggs[i].Orchestrator < aggs[j].Orchestrator
		}
		return aggs[i].Region < aggs[j].Region
	})
	return aggs, in
}
