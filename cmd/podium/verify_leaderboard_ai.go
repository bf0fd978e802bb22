package main

import (
	"context"
	"fmt"
	"sort"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// aiPair is one AI pipeline and model.
type aiPair struct{ pipeline, model string }

// aiRawStats reads the AI records of the snapshot's window from a
// leaderboard, for verify --leaderboard of a round with AI pools. Its
// raw_stats answers one orchestrator and one pipeline and model at a time,
// so every pipeline and model that the leaderboard lists for the window
// (/api/pipelines), that an AI pool of round r names, or that the snapshot
// has an aggregate of is asked, for every orchestrator the leaderboard
// aggregates over the window in it or the snapshot names in it. A record
// of another orchestrator, pipeline or model than the one asked for is an
// error: counted twice, it would make an honest snapshot differ.
func aiRawStats(ctx context.Context, c *web.Client, r *podium.Round, snap *podium.Snapshot) ([]podium.Stats, error) {
	window := podium.StatsQuery{Since: snap.Since, Until: snap.Until}
	ps, err := c.Pipelines(ctx, window)
	if err != nil {
		return nil, fmt.Errorf("AI pipelines: %w", err)
	}
	orchs := map[aiPair]map[string]bool{}
	add := func(p aiPair, orch string) {
		if orchs[p] == nil {
			orchs[p] = map[string]bool{}
		}
		if orch != "" {
			orchs[p][orch] = true
		}
	}
	for _, p := range ps {
		for _, m := range p.Models {
			add(aiPair{p.ID, m}, "")
		}
	}
	for _, pool := range r.Pools {
		if e := pool.Eligible; e.IsAI() && e.Pipeline != "" && e.Model != "" {
			add(aiPair{e.Pipeline, e.Model}, "")
		}
	}
	if snap.AI != nil {
		for _, e := range snap.AI.Aggregates {
			add(aiPair{e.Pipeline, e.Model}, e.Orchestrator)
		}
	}
	var out []podium.Stats
	for _, p := range sortedPairs(orchs) {
		q := window
		q.JobType, q.Pipeline, q.Model = podium.JobAI, p.pipeline, p.model
		agg, err := c.AggregatedStats(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("AI aggregated stats of %s/%s: %w", p.pipeline, p.model, err)
		}
		for a := range agg {
			add(p, a)
		}
		for a := range orchs[p] {
			q.Orchestrator = a
			byRegion, err := c.RawStats(ctx, q)
			if err != nil {
				return nil, fmt.Errorf("AI raw stats of %s for %s/%s: %w", a, p.pipeline, p.model, err)
			}
			for _, rs := range byRegion {
				for _, rec := range rs {
					if rec.Orchestrator != a || rec.Pipeline != p.pipeline || rec.Model != p.model {
						return nil, podium.Errorf(podium.EINVALID, "the leaderboard answered raw_stats of %s for %s/%s with a record of %s for %s/%s (test %q)",
							a, p.pipeline, p.model, rec.Orchestrator, rec.Pipeline, rec.Model, rec.TestID)
					}
					out = append(out, rec)
				}
			}
		}
	}
	return out, nil
}

func sortedPairs(m map[aiPair]map[string]bool) []aiPair {
	out := make([]aiPair, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].pipeline != out[j].pipeline {
			return out[i].pipeline < out[j].pipeline
		}
		return out[i].model < out[j].model
	})
	return out
}
