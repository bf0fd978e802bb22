package web

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"strconv"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/round"
)

// Rounds serves a program's API under /api/v1/rounds: the rounds with their
// rules ids and phases, each round's stored snapshot and the distribution
// computed from it (byte for byte what `podium snapshot` and `podium
// rewards` give), and a running round's projection. What it answers comes
// from the round service, which the pages render too.
type Rounds struct {
	Service *round.Service
	Logger  *slog.Logger
}

// Register adds the program API's routes to mux.
func (h *Rounds) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/rounds", h.handleRounds)
	mux.HandleFunc("GET /api/v1/rounds/{id}/snapshot", h.handleSnapshot)
	mux.HandleFunc("GET /api/v1/rounds/{id}/distribution", h.handleDistribution)
	mux.HandleFunc("GET /api/v1/rounds/{id}/projection", h.handleProjection)
}

// RoundInfo is one round as GET /api/v1/rounds lists it: the summary the
// rules give it too, then its rules id, phase and frozen snapshot.
type RoundInfo struct {
	podium.RoundSummary
	RulesID string `json:"rules_id"`
	// Status is the round's phase: upcoming, running, ended (snapshot not
	// frozen yet), final or paid.
	Status     round.Phase `json:"status"`
	SnapshotID string      `json:"snapshot_id,omitempty"`
}

// RoundsBody is the answer of GET /api/v1/rounds.
type RoundsBody struct {
	Program string           `json:"program"`
	Token   podium.TokenInfo `json:"token"`
	Rounds  []RoundInfo      `json:"rounds"`
	// Testing is how the program's probers test; absent when the program
	// says nothing about it.
	Testing *TestingInfo `json:"testing,omitempty"`
}

// TestingInfo is the program's testing section as GET /api/v1/rounds
// gives it.
type TestingInfo struct {
	// MaxPricePerPixel is the probers' price cap in wei per pixel, exact
	// ("n" or "n/d"); "" for none.
	MaxPricePerPixel string `json:"max_price_per_pixel,omitempty"`
}

// MaxPrice returns the probers' price cap the program sets; nil for none.
func (b RoundsBody) MaxPrice() (*big.Rat, error) {
	if b.Testing == nil || b.Testing.MaxPricePerPixel == "" {
		return nil, nil
	}
	limit, err := podium.ParseWeiRat(b.Testing.MaxPricePerPixel)
	if err != nil {
		return nil, fmt.Errorf("the program's max_price_per_pixel: %w", err)
	}
	return limit, nil
}

// Rounds returns the loaded program's rounds (GET /api/v1/rounds); an
// ENOTFOUND error when the server serves no program.
func (c *Client) Rounds(ctx context.Context) (RoundsBody, error) {
	var out RoundsBody
	return out, c.get(ctx, "/api/v1/rounds", nil, &out)
}

func (h *Rounds) handleRounds(w http.ResponseWriter, r *http.Request) {
	rounds, err := h.Service.Rounds(r.Context())
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	p := h.Service.Program
	body := RoundsBody{Program: p.Name, Token: p.Token.Info(), Rounds: []RoundInfo{}}
	if p.Testing.MaxPrice != nil {
		body.Testing = &TestingInfo{MaxPricePerPixel: p.Testing.MaxPrice.RatString()}
	}
	for _, rd := range rounds {
		info := RoundInfo{RoundSummary: rd.Spec.Summary(), RulesID: rd.RulesID, Status: rd.Phase}
		if rd.Snapshot != nil && rd.Snapshot.Stored {
			info.SnapshotID = rd.Snapshot.ID
		}
		body.Rounds = append(body.Rounds, info)
	}
	writeJSON(w, http.StatusOK, body)
}

// roundID parses the round number of the path.
func roundID(r *http.Request) (int, error) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		return 0, podium.FieldError("id", "%q is not a round number", r.PathValue("id"))
	}
	return id, nil
}

func (h *Rounds) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	id, err := roundID(r)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	s, err := h.Service.Stored(r.Context(), id)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	writeContent(w, "application/json", s.ID, s.Body)
}

func (h *Rounds) handleDistribution(w http.ResponseWriter, r *http.Request) {
	id, err := roundID(r)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	d, _, err := h.Service.Final(r.Context(), id)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	switch r.URL.Query().Get("format") {
	case "", "json":
		writeContent(w, "application/json", d.ID, d.JSON)
	case "csv":
		writeContent(w, "text/csv; charset=utf-8", d.ID, d.CSV)
	default:
		writeError(w, r, h.Logger, podium.FieldError("format", "use json or csv"))
	}
}

// handleProjection answers the distribution the round would give if its
// snapshot were taken at the start of the current minute (or at its
// snapshot time, once that has passed), for operators watching their
// projected rewards. Nothing is stored.
func (h *Rounds) handleProjection(w http.ResponseWriter, r *http.Request) {
	id, err := roundID(r)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	p, err := h.Service.Projection(r.Context(), id)
	if err != nil {
		writeError(w, r, h.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// writeContent answers a content-addressed document; its id is its ETag.
func writeContent(w http.ResponseWriter, contentType, id string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("ETag", `"`+id+`"`)
	w.Header().Set("Podium-Content-Id", id)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
