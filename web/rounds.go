package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/snapshot"
)

// Rounds serves a program's API under /api/v1/rounds: the rounds with their
// rules ids, each round's stored snapshot and the distribution computed
// from it, byte for byte what `podium snapshot` and `podium rewards` give.
type Rounds struct {
	Program  *podium.Program
	Store    podium.ProgramStore
	Stats    podium.StatsStore // for projections
	Registry podium.Registry   // nil: names fall back to addresses
	Now      func() time.Time
	Logger   *slog.Logger

	mu          sync.Mutex                        // one projection computed at a time
	projections map[projectionKey]*ProjectionBody // this minute's
}

// Register adds the program API's routes to mux.
func (h *Rounds) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/rounds", h.handleRounds)
	mux.HandleFunc("GET /api/v1/rounds/{id}/snapshot", h.handleSnapshot)
	mux.HandleFunc("GET /api/v1/rounds/{id}/distribution", h.handleDistribution)
	mux.HandleFunc("GET /api/v1/rounds/{id}/projection", h.handleProjection)
}

// RoundInfo is one round as GET /api/v1/rounds lists it.
type RoundInfo struct {
	ID            int       `json:"id"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	SnapshotAt    time.Time `json:"snapshot_at"`
	WindowSeconds int64     `json:"snapshot_window_seconds"`
	Budget        string    `json:"budget"`
	RulesID       string    `json:"rules_id"`
	// Status is upcoming, running, ended (snapshot not taken yet) or final.
	Status     string `json:"status"`
	SnapshotID string `json:"snapshot_id,omitempty"`
}

// RoundsBody is the answer of GET /api/v1/rounds.
type RoundsBody struct {
	Program string           `json:"program"`
	Token   podium.TokenInfo `json:"token"`
	Rounds  []RoundInfo      `json:"rounds"`
}

func (h *Rounds) handleRounds(w http.ResponseWriter, r *http.Request) {
	now := h.Now()
	body := RoundsBody{Program: h.Program.Name, Token: h.Program.Token.Info(), Rounds: []RoundInfo{}}
	for _, rd := range h.Program.Rounds {
		id, err := h.Program.RulesID(rd.ID)
		if err != nil {
			writeError(w, r, h.Logger, err)
			return
		}
		info := RoundInfo{ID: rd.ID, Start: rd.Start, End: rd.End, SnapshotAt: rd.Snapshot.At,
			WindowSeconds: int64(rd.Snapshot.Window / time.Second), Budget: rd.Budget.String(), RulesID: id}
		switch s, err := h.Store.Snapshot(r.Context(), h.Program.Name, rd.ID); {
		case err == nil:
			info.Status, info.SnapshotID = "final", s.ID
		case podium.ErrorCode(err) != podium.ENOTFOUND:
			writeError(w, r, h.Logger, err)
			return
		case now.Before(rd.Start):
			info.Status = "upcoming"
		case now.Before(rd.End):
			info.Status = "running"
		default:
			info.Status = "ended"
		}
		body.Rounds = append(body.Rounds, info)
	}
	writeJSON(w, http.StatusOK, body)
}

// stored returns the round named by the path and its stored snapshot.
func (h *Rounds) stored(r *http.Request) (int, podium.StoredSnapshot, error) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		return 0, podium.StoredSnapshot{}, podium.FieldError("id", "%q is not a round number", r.PathValue("id"))
	}
	if _, err := h.Program.Round(id); err != nil {
		return 0, podium.StoredSnapshot{}, err
	}
	s, err := h.Store.Snapshot(r.Context(), h.Program.Name, id)
	return id, s, err
}

func (h *Rounds) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	_, s, err := h.stored(r)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	writeContent(w, "application/json", s.ID, s.Body)
}

func (h *Rounds) handleDistribution(w http.ResponseWriter, r *http.Request) {
	id, stored, err := h.stored(r)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	s, err := podium.ParseSnapshot(stored.Body)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	out, err := rules.Compute(h.Program, id, s)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	d := &out.Distribution
	b, err := d.Canonical()
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	switch r.URL.Query().Get("format") {
	case "", "json":
		writeContent(w, "application/json", podium.ContentID(b), b)
	case "csv":
		writeContent(w, "text/csv; charset=utf-8", podium.ContentID(b), report.DistributionCSV(d, s.Name))
	default:
		writeError(w, r, h.Logger, podium.FieldError("format", "use json or csv"))
	}
}

// handleProjection answers the distribution the round would give if its
// snapshot were taken at the start of the current minute (or at its
// snapshot time, once that has passed), for operators watching their
// projected rewards. Nothing is stored.
func (h *Rounds) handleProjection(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		writeError(w, r, h.Logger, podium.FieldError("id", "%q is not a round number", r.PathValue("id")))
		return
	}
	rd, err := h.Program.Round(id)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	at := h.Now().UTC().Truncate(time.Minute)
	if at.After(rd.Snapshot.At) {
		at = rd.Snapshot.At
	}
	body, err := h.projection(r.Context(), id, at, rd.Snapshot.Window)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// projection returns round id's projection at at, computed once: taking a
// snapshot reads every raw record of the window, so requests wait for one
// computation (one at a time) rather than each starting its own, and the
// answer serves until at changes (each minute).
func (h *Rounds) projection(ctx context.Context, id int, at time.Time, window time.Duration) (*ProjectionBody, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	key := projectionKey{id, at.Unix()}
	if b, ok := h.projections[key]; ok {
		return b, nil
	}
	s, err := snapshot.TakeAt(ctx, h.Stats, h.Registry, h.Program, id, at, window)
	if err != nil {
		return nil, err
	}
	out, err := rules.Project(h.Program, id, s)
	if err != nil {
		return nil, err
	}
	if h.projections == nil {
		h.projections = map[projectionKey]*ProjectionBody{}
	}
	for k := range h.projections {
		if k.at != key.at {
			delete(h.projections, k) // an older minute's
		}
	}
	b := &ProjectionBody{At: at, Distribution: out.Distribution}
	h.projections[key] = b
	return b, nil
}

// projectionKey names a round's projection at a time.
type projectionKey struct {
	round int
	at    int64
}

// ProjectionBody is the answer of GET /api/v1/rounds/{id}/projection.
type ProjectionBody struct {
	At           time.Time           `json:"at"`
	Distribution podium.Distribution `json:"distribution"`
}

// writeContent answers a content-addressed document; its id is its ETag.
func writeContent(w http.ResponseWriter, contentType, id string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("ETag", `"`+id+`"`)
	w.Header().Set("Podium-Content-Id", id)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
