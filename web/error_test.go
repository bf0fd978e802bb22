package web

import (
	"net/http"
	"testing"

	"github.com/podiumhq/podium"
)

// TestStatusOf checks the one mapping of error codes to HTTP statuses, and
// that the client maps each status back to its code.
func TestStatusOf(t *testing.T) {
	for code, status := range map[string]int{
		podium.EINVALID:      http.StatusBadRequest,
		podium.EUNAUTHORIZED: http.StatusForbidden,
		podium.ENOTFOUND:     http.StatusNotFound,
		podium.ECONFLICT:     http.StatusConflict,
		podium.ETOOLARGE:     http.StatusRequestEntityTooLarge,
		podium.EUNAVAILABLE:  http.StatusServiceUnavailable,
		podium.EINTERNAL:     http.StatusInternalServerError,
		"":                   http.StatusInternalServerError,
	} {
		if got := statusOf(code); got != status {
			t.Errorf("statusOf(%q) = %d, want %d", code, got, status)
		}
		if code != "" && codeOf(status) != code {
			t.Errorf("codeOf(%d) = %q, want %q", status, codeOf(status), code)
		}
	}
	for status, code := range map[int]string{401: podium.EUNAUTHORIZED, 502: podium.EUNAVAILABLE, 504: podium.EUNAVAILABLE, 418: podium.EINTERNAL} {
		if got := codeOf(status); got != code {
			t.Errorf("codeOf(%d) = %q, want %q", status, got, code)
		}
	}
}
