package web

import "net/http"

// handleTopAIScore answers GET /api/top_ai_score?orchestrator=: the
// orchestrator's best AI score of the window (default the last 24 hours,
// the leaderboard's only window) as {region, orchestrator, value, model,
// pipeline}, or {} when it has no AI test in it (or none is named).
func (s *Server) handleTopAIScore(w http.ResponseWriter, r *http.Request) {
	setAPIHeaders(w)
	q, err := parseStatsQuery(r.URL.Query(), s.now())
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	ai, err := s.aiStore()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if q.Orchestrator == "" {
		writeJSON(w, http.StatusOK, struct{}{})
		return
	}
	top, ok, err := ai.TopAIScore(r.Context(), q.Orchestrator, q.Since, q.Until)
	if err != nil {
		writeError(w, r, s.logger, unavailable(err))
		return
	}
	if !ok {
		writeJSON(w, http.StatusOK, struct{}{})
		return
	}
	writeJSON(w, http.StatusOK, top)
}
