package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/podiumhq/podium"
)

// errorBody is the JSON of every error answer. "error" is what
// leaderboard-serverless sends; field and hint are podium's additions.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
	Hint  string `json:"hint,omitempty"`
}

// writeError answers err with the status of its code. Internal errors are
// logged and hidden from the caller.
func writeError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	code := podium.ErrorCode(err)
	body := errorBody{Field: podium.ErrorField(err), Hint: podium.ErrorHint(err)}
	var e *podium.Error
	switch {
	case code == podium.EINTERNAL:
		logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error = "internal error"
	case errors.As(err, &e) && e.Message != "":
		if code == podium.EUNAVAILABLE {
			logger.Warn("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		body.Error = e.Message
		if e.Field != "" {
			body.Error = e.Field + ": " + e.Message // complete for clients that read only "error"
		}
	default:
		body.Error = err.Error()
	}
	writeJSON(w, podium.HTTPStatus(code), body)
}

// writeJSON answers v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// unavailable gives a store's EUNAVAILABLE error words for the caller (the
// store's own say which operation failed, which only the log needs).
func unavailable(err error) error {
	if podium.ErrorCode(err) != podium.EUNAVAILABLE {
		return err
	}
	return &podium.Error{Code: podium.EUNAVAILABLE, Message: "the database is unavailable", Hint: "retry later", Err: err}
}
