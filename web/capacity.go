package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/podiumhq/podium"
)

// The capacity API (issue 19): probers post signed capacity records, as
// they post stats, and anyone reads an orchestrator's.
const (
	// DefaultCapacityWindow is the window of GET /api/capacity without
	// since: 30 days, about 30 tests a region at the default schedule.
	DefaultCapacityWindow = 30 * 24 * time.Hour
	// MaxCapacityHistory caps the history one answer lists.
	MaxCapacityHistory = 1000
)

// CapacityResponse is the body of GET /api/capacity. Latest is the newest
// record before until, whatever since says; nil (JSON null) when the
// orchestrator has had no capacity test yet, which is not 0 streams.
// History is the window's records, newest first.
type CapacityResponse struct {
	Latest  *podium.Capacity  `json:"latest"`
	History []podium.Capacity `json:"history"`
}

func (s *Server) capacityStore() (podium.CapacityStore, error) {
	cs, ok := s.store.(podium.CapacityStore)
	if !ok {
		return nil, &podium.Error{Code: podium.ENOTFOUND, Message: "this leaderboard's store keeps no capacity records",
			Hint: "serve from the sqlite or postgres store"}
	}
	return cs, nil
}

func (s *Server) handlePostCapacity(w http.ResponseWriter, r *http.Request) {
	setAPIHeaders(w)
	res, err := s.postCapacity(r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// postCapacity reads, authenticates (as a stats post), decodes, validates
// and stores one capacity record.
func (s *Server) postCapacity(r *http.Request) (PostResult, error) {
	cs, err := s.capacityStore()
	if err != nil {
		return PostResult{}, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, s.maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return PostResult{}, podium.Errorf(podium.ETOOLARGE, "the body is larger than %d bytes", s.maxBody).
				WithHint("post one capacity record per request")
		}
		return PostResult{}, podium.Errorf(podium.EINVALID, "reading the body: %w", err)
	}
	if err := s.auth.check(r.Header, body); err != nil {
		return PostResult{}, err
	}
	rec, err := DecodeCapacity(body)
	if err != nil {
		return PostResult{}, err
	}
	if err := rec.Normalize(s.known, s.now()); err != nil {
		return PostResult{}, err
	}
	added, err := cs.AddCapacity(r.Context(), []podium.Capacity{rec})
	if err != nil {
		s.logger.Error("add capacity", "err", err)
		return PostResult{}, unavailable(err)
	}
	res := PostResult{Status: StatusStored, TestID: rec.TestID}
	if added == 0 {
		res.Status = StatusDuplicate
	}
	return res, nil
}

// DecodeCapacity decodes one capacity record from JSON; a value of the
// wrong type is an EINVALID error naming the field. Call Normalize next.
func DecodeCapacity(data []byte) (podium.Capacity, error) {
	var c podium.Capacity
	if len(bytes.TrimSpace(data)) == 0 {
		return c, podium.Errorf(podium.EINVALID, "the body is empty; send one capacity record as a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&c); err != nil {
		err = decodeError(err)
		var e *podium.Error
		if errors.As(err, &e) && strings.HasPrefix(e.Field, "levels.") {
			e.Field = "levels"
		}
		return podium.Capacity{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return podium.Capacity{}, podium.Errorf(podium.EINVALID, "malformed JSON: data after the record; send one record per request")
	}
	return c, nil
}

// handleCapacity answers GET /api/capacity?orchestrator&region&since&until.
func (s *Server) handleCapacity(w http.ResponseWriter, r *http.Request) {
	setAPIHeaders(w)
	out, err := s.capacity(r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) capacity(r *http.Request) (CapacityResponse, error) {
	cs, err := s.capacityStore()
	if err != nil {
		return CapacityResponse{}, err
	}
	q, err := parseCapacityQuery(r.URL.Query(), s.now())
	if err != nil {
		return CapacityResponse{}, err
	}
	history, err := cs.Capacities(r.Context(), q)
	if err != nil {
		return CapacityResponse{}, unavailable(err)
	}
	out := CapacityResponse{History: history}
	if len(history) > 0 {
		out.Latest = &history[0]
		return out, nil
	}
	latest, err := cs.Capacities(r.Context(), podium.CapacityQuery{Orchestrator: q.Orchestrator, Region: q.Region, Until: q.Until, Limit: 1})
	if err != nil {
		return CapacityResponse{}, unavailable(err)
	}
	if len(latest) > 0 {
		out.Latest = &latest[0]
	}
	return out, nil
}

// parseCapacityQuery reads the parameters as the stats endpoints do
// (parseStatsQuery), with the capacity window's default; the orchestrator
// is required.
func parseCapacityQuery(v url.Values, now time.Time) (podium.CapacityQuery, error) {
	if strings.TrimSpace(v.Get("since")) == "" {
		v = maps.Clone(v)
		v.Set("since", strconv.FormatInt(ceilTime(now.Add(-DefaultCapacityWindow)), 10))
	}
	sq, err := parseStatsQuery(v, now)
	if err != nil {
		return podium.CapacityQuery{}, err
	}
	if sq.Orchestrator == "" {
		return podium.CapacityQuery{}, podium.FieldError("orchestrator", "is a required parameter").WithHint("add ?orchestrator=0x… to the URL")
	}
	return podium.CapacityQuery{Orchestrator: sq.Orchestrator, Region: sq.Region, Since: sq.Since, Until: sq.Until, Limit: MaxCapacityHistory}, nil
}
