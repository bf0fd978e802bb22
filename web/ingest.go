package web

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/podiumhq/podium"
)

// PostResult is the answer to an accepted post. Status is "stored" for a new
// record and "duplicate" for a test ID already stored (the post is
// idempotent: it succeeds and changes nothing).
type PostResult struct {
	Status string `json:"status"`
	TestID string `json:"test_id,omitempty"`
	// Truncated names the fields of an AI record stored truncated to
	// podium.MaxAIPayload bytes ("input_parameters", "response_payload").
	Truncated []string `json:"truncated,omitempty"`
}

// Post statuses.
const (
	StatusStored    = "stored"
	StatusDuplicate = "duplicate"
)

func (s *Server) handlePostStats(w http.ResponseWriter, r *http.Request) {
	setAPIHeaders(w)
	res, err := s.postStats(r)
	if err != nil {
		s.countIngest(err)
		writeError(w, r, s.logger, err)
		return
	}
	if res.Status == StatusDuplicate {
		s.metrics.ingest.WithLabelValues(resultDuplicate).Inc()
	} else {
		s.metrics.ingest.WithLabelValues(resultOK).Inc()
	}
	writeJSON(w, http.StatusOK, res)
}

// postStats reads, authenticates, decodes, validates and stores one record.
func (s *Server) postStats(r *http.Request) (PostResult, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, s.maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return PostResult{}, podium.Errorf(podium.ETOOLARGE, "the body is larger than %d bytes", s.maxBody).
				WithHint("post one stats record per request")
		}
		return PostResult{}, podium.Errorf(podium.EINVALID, "reading the body: %w", err)
	}
	if err := s.auth.check(r.Header, body); err != nil {
		return PostResult{}, err
	}
	rec, err := DecodeStats(body)
	if err != nil {
		return PostResult{}, err
	}
	var truncated []string
	if rec.IsAI() {
		truncated = rec.BoundAI()
	}
	if err := rec.Normalize(s.known, s.now()); err != nil {
		return PostResult{}, err
	}
	dup, err := s.addOne(r.Context(), rec)
	if err != nil {
		return PostResult{}, err
	}
	res := PostResult{Status: StatusStored, TestID: rec.TestID, Truncated: truncated}
	if dup {
		res.Status = StatusDuplicate
	}
	return res, nil
}

// addOne stores one record durably and reports whether it was already
// stored: the store's count of new records says it exactly, even when
// another replica stored the same record a moment before.
func (s *Server) addOne(ctx context.Context, rec podium.Stats) (duplicate bool, err error) {
	added, err := s.store.AddStats(ctx, []podium.Stats{rec})
	if err != nil {
		s.logger.Error("add stats", "err", err)
		return false, unavailable(err)
	}
	return added == 0, nil
}

func (s *Server) countIngest(err error) {
	result := resultError
	switch podium.ErrorCode(err) {
	case podium.EINVALID, podium.ETOOLARGE:
		result = resultInvalid
	case podium.EUNAUTHORIZED:
		result = resultUnauthorized
	}
	s.metrics.ingest.WithLabelValues(result).Inc()
}
