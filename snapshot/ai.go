package snapshot

import (
	"context"
	"fmt"
	"sort"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// aiCell is one pipeline, model and region: the unit of an AI median.
type aiCell struct{ pipeline, model, region string }

// takeAI freezes the AI tests of [since, until) that round r's AI pools
// need, from an AI store: its aggregates, the exact median of each
// pipeline, model and region, and the digest of the records, read an hour
// at a time. It returns nil for a round without AI pools.
func takeAI(ctx context.Context, stats podium.StatsStore, r *podium.Round, since, until int64) (*podium.SnapshotAI, error) {
	if !r.HasAI() {
		return nil, nil
	}
	ai, ok := stats.(podium.AIStore)
	if !ok {
		return nil, podium.Errorf(podium.EINVALID, "round %d has AI pools but the store %T keeps no AI tests", r.ID, stats).
			WithHint("take the snapshot from a podium database (--db)")
	}
	window := podium.StatsQuery{Since: since, Until: until, JobType: podium.JobAI}
	all, err := ai.AIAggregates(ctx, window)
	if err != nil {
		return nil, fmt.Errorf("snapshot round %d: AI aggregates: %w", r.ID, err)
	}
	var aggs []podium.AIAggregate
	medians := map[aiCell]podium.AIMedianEntry{}
	var cells []aiCell
	for _, a := range all {
		if !r.NeedsAI(a.Pipeline, a.Model, a.Region) {
			continue
		}
		aggs = append(aggs, a)
		c := aiCell{a.Pipeline, a.Model, a.Region}
		if _, seen := medians[c]; !seen {
			medians[c] = podium.AIMedianEntry{}
			cells = append(cells, c)
		}
	}
	var ms []podium.AIMedianEntry
	for _, c := range cells {
		q := window
		q.Pipeline, q.Model, q.Region = c.pipeline, c.model, c.region
		m, ok, err := ai.AIMedian(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("snapshot round %d: AI median of %s %s in %s: %w", r.ID, c.pipeline, c.model, c.region, err)
		}
		if ok {
			ms = append(ms, podium.AIMedianEntry{Pipeline: c.pipeline, Model: c.model, Region: c.region, Median: m})
		}
	}
	var d Digester
	for from := since; from < until; from += chunkSeconds {
		q := window
		q.Since, q.Until = from, min(from+chunkSeconds, until)
		recs, err := ai.AIRawStats(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("snapshot round %d: AI raw stats: %w", r.ID, err)
		}
		if err := d.Add(neededAI(r, recs)); err != nil {
			return nil, err
		}
	}
	return assembleAI(r, aggs, ms, d.Sum())
}

// FreezeAI computes the AI part of round r's snapshot from raw records
// alone (the window's records; transcoding ones and those the round's AI
// pools do not look at are skipped): what takeAI reads from a store, and
// what verify recomputes. nil for a round without AI pools.
func FreezeAI(r *podium.Round, recs []podium.Stats) (*podium.SnapshotAI, error) {
	if !r.HasAI() {
		return nil, nil
	}
	in := neededAI(r, recs)
	sums := map[string]podium.AIAggregate{}
	rtts := map[aiCell][]float64{}
	for _, s := range in {
		a := podium.AIAggregateOf(s)
		k := a.Pipeline + "\x00" + a.Model + "\x00" + a.Orchestrator + "\x00" + a.Region
		if have, ok := sums[k]; ok {
			a = have.Add(a)
		}
		sums[k] = a
		c := aiCell{s.Pipeline, s.Model, s.Region}
		if _, ok := rtts[c]; !ok {
			rtts[c] = nil
		}
		// The leaderboard's successful tests: success rate 1, a round trip.
		if s.SuccessRate == 1 && s.RoundTripTime != 0 {
			rtts[c] = append(rtts[c], s.RoundTripTime)
		}
	}
	var aggs []podium.AIAggregate
	for _, a := range sums {
		aggs = append(aggs, a)
	}
	var ms []podium.AIMedianEntry
	for c, vals := range rtts {
		if m, ok := score.MedianSeconds(vals); ok {
			ms = append(ms, podium.AIMedianEntry{Pipeline: c.pipeline, Model: c.model, Region: c.region, Median: m})
		}
	}
	digest, err := Digest(in)
	if err != nil {
		return nil, err
	}
	return assembleAI(r, aggs, ms, podium.RecordsDigest{Count: int64(len(in)), Digest: digest})
}

// neededAI returns the AI records of recs that round r's AI pools look at,
// with the fields the leaderboard's AI records carry.
func neededAI(r *podium.Round, recs []podium.Stats) []podium.Stats {
	var out []podium.Stats
	for _, s := range recs {
		if s.IsAI() && r.NeedsAI(s.Pipeline, s.Model, s.Region) {
			out = append(out, s)
		}
	}
	return out
}

// assembleAI sorts and scores the AI part of a snapshot and checks that its
// aggregates account for exactly the records digested.
func assembleAI(r *podium.Round, aggs []podium.AIAggregate, ms []podium.AIMedianEntry, digest podium.RecordsDigest) (*podium.SnapshotAI, error) {
	out := &podium.SnapshotAI{Aggregates: []podium.SnapshotAIEntry{}, Medians: []podium.AIMedianEntry{}, Records: digest}
	sort.Slice(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		return less3(a.Pipeline, a.Model, a.Region, b.Pipeline, b.Model, b.Region)
	})
	out.Medians = append(out.Medians, ms...)
	var tests int64
	for _, a := range aggs {
		tests += a.Tests
		m, ok := out.Median(a.Pipeline, a.Model, a.Region)
		out.Aggregates = append(out.Aggregates, podium.SnapshotAIEntry{AIAggregate: a, Score: score.OfAIAggregate(a, m, ok)})
	}
	if tests != digest.Count {
		return nil, podium.Errorf(podium.EINTERNAL, "snapshot round %d: the AI aggregates count %d tests but the window holds %d AI records", r.ID, tests, digest.Count)
	}
	sort.Slice(out.Aggregates, func(i, j int) bool {
		a, b := out.Aggregates[i], out.Aggregates[j]
		if a.Pipeline != b.Pipeline || a.Model != b.Model {
			return less3(a.Pipeline, a.Model, "", b.Pipeline, b.Model, "")
		}
		return a.Orchestrator < b.Orchestrator || (a.Orchestrator == b.Orchestrator && a.Region < b.Region)
	})
	return out, nil
}

func less3(a1, a2, a3, b1, b2, b3 string) bool {
	if a1 != b1 {
		return a1 < b1
	}
	if a2 != b2 {
		return a2 < b2
	}
	return a3 < b3
}
