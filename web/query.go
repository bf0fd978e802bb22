package web

import (
	"net/http"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// handleAggregatedStats answers {orchestrator: {region: score}} for the
// window, scored by score.Of from the store's aggregates. An orchestrator or
// region without tests in the window is absent ("no data"), never 0.
func (s *Server) handleAggregatedStats(w http.ResponseWriter, r *http.Request) {
	setAPIHeaders(w)
	q, err := parseStatsQuery(r.URL.Query(), s.now())
	if err == nil {
		err = parseJob(r.URL.Query(), &q) // ai.go
	}
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if q.JobType == podium.JobAI {
		s.aiAggregatedStats(w, r, q)
		return
	}
	if noTranscodingMatch(q) {
		writeJSON(w, http.StatusOK, map[string]map[string]podium.Score{})
		return
	}
	aggs, err := s.store.Aggregates(r.Context(), q)
	if err != nil {
		writeError(w, r, s.logger, unavailable(err))
		return
	}
	out := make(map[string]map[string]podium.Score)
	for _, a := range aggs {
		if a.Tests == 0 {
			continue
		}
		if out[a.Orchestrator] == nil {
			out[a.Orchestrator] = make(map[string]podium.Score)
		}
		out[a.Orchestrator][a.Region] = score.Of(a)
	}
	writeJSON(w, http.StatusOK, out)
}

// handleRawStats answers {region: [records newest first]} for one
// orchestrator; like leaderboard-serverless it requires the orchestrator.
func (s *Server) handleRawStats(w http.ResponseWriter, r *http.Request) {
	setAPIHeaders(w)
	q, err := parseStatsQuery(r.URL.Query(), s.now())
	if err == nil {
		err = parseJob(r.URL.Query(), &q) // ai.go
	}
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if q.Orchestrator == "" {
		writeError(w, r, s.logger, podium.FieldError("orchestrator", "is a required parameter").
			WithHint("add ?orchestrator=0x… to the URL"))
		return
	}
	if q.JobType == podium.JobAI {
		s.aiRawStats(w, r, q)
		return
	}
	if noTranscodingMatch(q) {
		writeJSON(w, http.StatusOK, map[string][]podium.Stats{})
		return
	}
	recs, err := s.store.RawStats(r.Context(), q)
	if err != nil {
		writeError(w, r, s.logger, unavailable(err))
		return
	}
	out := make(map[string][]podium.Stats)
	for _, rec := range recs {
		if rec.Errors == nil {
			rec.Errors = []podium.StatsError{} // "errors":[] for clients that iterate it
		}
		out[rec.Region] = append(out[rec.Region], rec)
	}
	writeJSON(w, http.StatusOK, out)
}

// RegionsResponse is the body of GET /api/regions.
type RegionsResponse struct {
	Regions []podium.Region `json:"regions"`
}

func (s *Server) handleRegions(w http.ResponseWriter, r *http.Request) {
	setAPIHeaders(w)
	writeJSON(w, http.StatusOK, RegionsResponse{Regions: s.regions})
}
