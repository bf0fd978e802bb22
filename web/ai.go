package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// The AI half of the leaderboard API (issue 22): job_type, pipeline and
// model on aggregated_stats and raw_stats, as leaderboard-serverless reads
// them (common/params.go), answered from the store's AI tests
// (podium.AIStore).

// parseJob reads job_type, pipeline and model into q. pipeline and model
// come together (400 "pipeline required" / "model required", the
// leaderboard's texts); job_type is "transcoding" or "ai", and defaults to
// ai when pipeline or model is given, to transcoding otherwise.
func parseJob(v url.Values, q *podium.StatsQuery) error {
	q.Pipeline, q.Model = v.Get("pipeline"), v.Get("model")
	for _, name := range []string{"pipeline", "model", "job_type"} {
		if val := v.Get(name); !printable(val) {
			return podium.FieldError(name, "must be printable text, not %q", val)
		}
	}
	if q.Model != "" && q.Pipeline == "" {
		return &podium.Error{Code: podium.EINVALID, Message: "pipeline required", Hint: "pipeline and model come together"}
	}
	if q.Pipeline != "" && q.Model == "" {
		return &podium.Error{Code: podium.EINVALID, Message: "model required", Hint: "pipeline and model come together"}
	}
	switch jt := strings.TrimSpace(v.Get("job_type")); jt {
	case podium.JobTranscoding, podium.JobAI:
		q.JobType = jt
	case "":
		q.JobType = podium.JobTranscoding
		if q.Pipeline != "" {
			q.JobType = podium.JobAI
		}
	default:
		return podium.FieldError("job_type", "must be %q or %q, not %q", podium.JobTranscoding, podium.JobAI, jt)
	}
	return nil
}

// noTranscodingMatch reports whether q asks for transcoding tests of a
// pipeline and model, which no transcoding test has: the leaderboard
// filters its transcoding events by pipeline and answers nothing.
func noTranscodingMatch(q podium.StatsQuery) bool {
	return q.JobType == podium.JobTranscoding && q.Pipeline != ""
}

// aiStore returns the server's store as an AIStore.
func (s *Server) aiStore() (podium.AIStore, error) {
	ai, ok := s.store.(podium.AIStore)
	if !ok {
		return nil, podium.Errorf(podium.EINTERNAL, "the store %T keeps no AI tests", s.store)
	}
	return ai, nil
}

// aiAggregatedStats answers aggregated_stats for AI tests:
// {orchestrator: {region: {success_rate, round_trip_score, score}}}, every
// value a number, scored by score.OfAIAggregate against the median of q's
// window and filters across all orchestrators. Where q names no pipeline
// and an orchestrator has tests of several in one region, the
// leaderboard keeps an arbitrary one; podium keeps the last in byte order
// of pipeline, then model.
func (s *Server) aiAggregatedStats(w http.ResponseWriter, r *http.Request, q podium.StatsQuery) {
	ai, err := s.aiStore()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	aggs, err := ai.AIAggregates(r.Context(), q)
	if err != nil {
		writeError(w, r, s.logger, unavailable(err))
		return
	}
	out := make(map[string]map[string]podium.Score)
	if len(aggs) > 0 {
		median, ok, err := ai.AIMedian(r.Context(), q)
		if err != nil {
			writeError(w, r, s.logger, unavailable(err))
			return
		}
		for _, a := range aggs {
			if a.Tests == 0 {
				continue
			}
			if out[a.Orchestrator] == nil {
				out[a.Orchestrator] = make(map[string]podium.Score)
			}
			out[a.Orchestrator][a.Region] = score.OfAIAggregate(a, median, ok)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// aiRawStats answers raw_stats for AI tests: {region: [records newest
// first]}, each with its AI fields.
func (s *Server) aiRawStats(w http.ResponseWriter, r *http.Request, q podium.StatsQuery) {
	ai, err := s.aiStore()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	recs, err := ai.AIRawStats(r.Context(), q)
	if err != nil {
		writeError(w, r, s.logger, unavailable(err))
		return
	}
	writeJSON(w, http.StatusOK, byRegion(recs))
}

// byRegion groups records by region, keeping their order, with "errors":[]
// for a record without errors.
func byRegion(recs []podium.Stats) map[string][]podium.Stats {
	out := make(map[string][]podium.Stats)
	for _, rec := range recs {
		if rec.Errors == nil {
			rec.Errors = []podium.StatsError{}
		}
		out[rec.Region] = append(out[rec.Region], rec)
	}
	return out
}
