package web

import (
	"net/http"

	"github.com/podiumhq/podium"
)

// PipelinesResponse is the body of GET /api/pipelines.
type PipelinesResponse struct {
	Pipelines []podium.Pipeline `json:"pipelines"`
}

// handlePipelines answers GET /api/pipelines?region&since&until: the AI
// pipelines tested in the window (in region when given), each with its
// models and regions, sorted by pipeline, models and regions in byte order.
func (s *Server) handlePipelines(w http.ResponseWriter, r *http.Request) {
	setAPIHeaders(w)
	q, err := parseStatsQuery(r.URL.Query(), s.now())
	if err == nil {
		err = parseJob(r.URL.Query(), &q)
	}
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	ai, err := s.aiStore()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	ps, err := ai.Pipelines(r.Context(), q)
	if err != nil {
		writeError(w, r, s.logger, unavailable(err))
		return
	}
	if ps == nil {
		ps = []podium.Pipeline{}
	}
	writeJSON(w, http.StatusOK, PipelinesResponse{Pipelines: ps})
}
