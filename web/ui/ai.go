package ui

import (
	"context"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// aiStore is the store's AI half; a store without one has no AI board.
func (h *Handler) aiStore() (podium.AIStore, error) {
	ai, ok := h.cfg.Store.(podium.AIStore)
	if !ok {
		return nil, podium.Errorf(podium.EINVALID, "this leaderboard keeps no AI tests").WithHint("use the transcoding board (job_type=transcoding)")
	}
	return ai, nil
}

// pipelines lists the AI pipelines tested in v's window, and fills in v's
// pipeline and model with the first of them when AI mode names none.
func (h *Handler) pipelines(ctx context.Context, v *view) ([]podium.Pipeline, error) {
	ai, err := h.aiStore()
	if err != nil {
		return nil, err
	}
	ps, err := ai.Pipelines(ctx, podium.StatsQuery{Since: v.Since.Unix(), Until: v.Until.Unix()})
	if err != nil {
		return nil, err
	}
	if v.Pipeline == "" && len(ps) > 0 && len(ps[0].Models) > 0 {
		v.Pipeline, v.Model = ps[0].ID, ps[0].Models[0]
	}
	return ps, nil
}

// aiStandings scores every known orchestrator on v's pipeline and model,
// as /api/aggregated_stats?job_type=ai does: each region's aggregate
// against the median round trip of the same filters (v's region, or every
// region for Global), Global being the mean over the regions with data.
func (h *Handler) aiStandings(ctx context.Context, v view) ([]Standing, error) {
	ai, err := h.aiStore()
	if err != nil {
		return nil, err
	}
	orchs := h.orchestrators(ctx)
	byOrch := map[string]map[string]podium.AIAggregate{}
	if v.Pipeline != "" {
		q := podium.StatsQuery{Since: v.Since.Unix(), Until: v.Until.Unix(), Region: v.Region, JobType: podium.JobAI, Pipeline: v.Pipeline, Model: v.Model}
		aggs, err := ai.AIAggregates(ctx, q)
		if err != nil {
			return nil, err
		}
		median, ok, err := ai.AIMedian(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, a := range aggs {
			if byOrch[a.Orchestrator] == nil {
				byOrch[a.Orchestrator] = map[string]podium.AIAggregate{}
			}
			byOrch[a.Orchestrator][a.Region] = a
			if _, known := orchs[a.Orchestrator]; !known {
				orchs[a.Orchestrator] = podium.Orchestrator{Address: a.Orchestrator}
			}
		}
		rows := make([]Standing, 0, len(orchs))
		for _, o := range orchs {
			rows = append(rows, aiStandingOf(o, byOrch[o.Address], median, ok))
		}
		rank(rows)
		return rows, nil
	}
	rows := make([]Standing, 0, len(orchs))
	for _, o := range orchs {
		rows = append(rows, Standing{Orchestrator: o})
	}
	rank(rows)
	return rows, nil
}

// aiStandingOf scores o's AI aggregates by region (already narrowed to the
// view's region) and averages them.
func aiStandingOf(o podium.Orchestrator, aggs map[string]podium.AIAggregate, median float64, ok bool) Standing {
	s := Standing{Orchestrator: o}
	for _, a := range aggs {
		if a.Tests == 0 {
			continue
		}
		sc := score.OfAIAggregate(a, median, ok)
		s.Score.SuccessRate += sc.SuccessRate
		s.Score.RoundTripScore += sc.RoundTripScore
		s.Score.Total += sc.Total
		s.Tests += a.Tests
		s.Regions++
	}
	if s.Regions > 0 {
		s.HasData = true
		n := float64(s.Regions)
		s.Score.SuccessRate /= n
		s.Score.RoundTripScore /= n
		s.Score.Total /= n
	}
	return s
}
