package ui

import (
	"context"
	"html/template"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// aiResult is an orchestrator's AI score for one pipeline, model and
// region over the page's window.
type aiResult struct {
	podium.AIAggregate
	Score podium.Score
}

// aiSection is the orchestrator page's AI part: its best AI score and
// where it came from, as GET /api/top_ai_score answers over the page's
// window; its results per pipeline, model and region; and a history chart
// of the chosen pipeline and model (the view's, else the best score's).
type aiSection struct {
	Top             podium.AIScore
	HasTop          bool
	Results         []aiResult
	Pipeline, Model string
	Chart           template.HTML
}

// aiOf returns addr's AI section; nil when the store keeps no AI tests.
// Each result is scored against the median round trip of its pipeline and
// model across every region and orchestrator, as top_ai_score scores it.
func (h *Handler) aiOf(ctx context.Context, v view, addr string, step time.Duration) (*aiSection, error) {
	ai, ok := h.cfg.Store.(podium.AIStore)
	if !ok {
		return nil, nil
	}
	since, until := v.Since.Unix(), v.Until.Unix()
	sec := &aiSection{}
	var err error
	if sec.Top, sec.HasTop, err = ai.TopAIScore(ctx, addr, since, until); err != nil {
		return nil, err
	}
	aggs, err := ai.AIAggregates(ctx, podium.StatsQuery{Orchestrator: addr, Since: since, Until: until, JobType: podium.JobAI})
	if err != nil {
		return nil, err
	}
	medians := map[[2]string]struct {
		m  float64
		ok bool
	}{}
	for _, a := range aggs {
		key := [2]string{a.Pipeline, a.Model}
		md, seen := medians[key]
		if !seen {
			if md.m, md.ok, err = ai.AIMedian(ctx, podium.StatsQuery{Since: since, Until: until, JobType: podium.JobAI, Pipeline: a.Pipeline, Model: a.Model}); err != nil {
				return nil, err
			}
			medians[key] = md
		}
		sec.Results = append(sec.Results, aiResult{AIAggregate: a, Score: score.OfAIAggregate(a, md.m, md.ok)})
	}
	sec.Pipeline, sec.Model = v.Pipeline, v.Model
	if sec.Pipeline == "" && sec.HasTop {
		sec.Pipeline, sec.Model = sec.Top.Pipeline, sec.Top.Model
	}
	if sec.Pipeline != "" {
		points, err := h.aiHistory(ctx, ai, addr, sec.Pipeline, sec.Model, v.Since, v.Until, step)
		if err != nil {
			return nil, err
		}
		sec.Chart = scoreChart("AI score history of "+sec.Pipeline+" · "+sec.Model, points, v.Since, v.Until, step)
	}
	return sec, nil
}

// aiHistory scores addr on pipeline and model per bucket of width step:
// each point is what /api/aggregated_stats?job_type=ai answers for that
// bucket, the mean over the regions it was tested in.
func (h *Handler) aiHistory(ctx context.Context, ai podium.AIStore, addr, pipeline, model string, since, until time.Time, step time.Duration) ([]point, error) {
	var out []point
	for t := since; t.Before(until); t = t.Add(step) {
		end := t.Add(step)
		if end.After(until) {
			end = until
		}
		q := podium.StatsQuery{Since: t.Unix(), Until: end.Unix(), JobType: podium.JobAI, Pipeline: pipeline, Model: model}
		q.Orchestrator = addr
		aggs, err := ai.AIAggregates(ctx, q)
		if err != nil {
			return nil, err
		}
		p := point{At: t}
		if len(aggs) > 0 {
			median, ok, err := ai.AIMedian(ctx, q)
			if err != nil {
				return nil, err
			}
			byRegion := map[string]podium.AIAggregate{}
			for _, a := range aggs {
				byRegion[a.Region] = a
			}
			s := aiStandingOf(podium.Orchestrator{Address: addr}, byRegion, median, ok)
			p = point{At: t, OK: s.HasData, Total: s.Score.Total, Success: s.Score.SuccessRate, Latency: s.Score.RoundTripScore}
		}
		out = append(out, p)
	}
	return out, nil
}
