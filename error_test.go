package podium

import (
	"errors"
	"io/fs"
	"net/http"
	"strings"
	"testing"
)

// TestErrorf: %w keeps the cause in the chain, so callers can still tell
// what it was, and its hint reaches the user when the outer error has none;
// the message reads as with %v.
func TestErrorf(t *testing.T) {
	inner := Errorf(EUNAVAILABLE, "ffmpeg not found").WithHint("install it")
	for _, tt := range []struct {
		name string
		err  *Error
		msg  string
		is   error
		hint string
	}{
		{"OK/Plain", Errorf(EINVALID, "bad %s", "x"), "bad x", nil, ""},
		{"OK/WrapsStdlib", Errorf(EINVALID, "read program file: %w", fs.ErrNotExist), "read program file: file does not exist", fs.ErrNotExist, ""},
		{"OK/WrapsHint", Errorf(EINTERNAL, "generate: %w", inner), "generate: ffmpeg not found", inner, "install it"},
		{"OK/OwnHintWins", Errorf(EINTERNAL, "generate: %w", inner).WithHint("mine"), "generate: ffmpeg not found", inner, "mine"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err.Error() != tt.msg {
				t.Errorf("message %q, want %q", tt.err.Error(), tt.msg)
			}
			if tt.is != nil && !errors.Is(tt.err, tt.is) {
				t.Errorf("%v does not wrap %v", tt.err, tt.is)
			}
			if got := ErrorHint(tt.err); got != tt.hint {
				t.Errorf("hint %q, want %q", got, tt.hint)
			}
			if ErrorCode(tt.err) != tt.err.Code {
				t.Errorf("code %q, want the outer %q", ErrorCode(tt.err), tt.err.Code)
			}
		})
	}
}

// TestStatuses: every code has its HTTP and exit status in the one table.
func TestStatuses(t *testing.T) {
	for code, want := range map[string][2]int{
		EINVALID: {400, 2}, EUNAUTHORIZED: {403, 1}, ENOTFOUND: {404, 1}, ECONFLICT: {409, 1},
		ETOOLARGE: {413, 1}, EUNAVAILABLE: {503, 1}, EINTERNAL: {500, 1}, "no-such-code": {500, 1},
	} {
		if got := [2]int{HTTPStatus(code), ExitStatus(code)}; got != want {
			t.Errorf("%s: HTTP and exit status %v, want %v", code, got, want)
		}
	}
}

func TestListenError(t *testing.T) {
	cause := errors.New("address already in use")
	err := ListenError("--listen", "127.0.0.1:80", cause)
	if !errors.Is(err, cause) {
		t.Errorf("the cause is not in the chain: %v", err)
	}
	if got, want := err.Error(), "--listen: cannot listen on 127.0.0.1:80: address already in use"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if ErrorCode(err) != EINVALID || ExitStatus(ErrorCode(err)) != 2 {
		t.Errorf("code %q", ErrorCode(err))
	}
	if h := ErrorHint(err); !strings.Contains(h, "--listen 127.0.0.1:0") {
		t.Errorf("hint %q", h)
	}
}

// TestHTTPStatus checks the one mapping of error codes to HTTP statuses, and
// that a client maps each status back to its code.
func TestHTTPStatus(t *testing.T) {
	for code, status := range map[string]int{
		EINVALID:      http.StatusBadRequest,
		EUNAUTHORIZED: http.StatusForbidden,
		ENOTFOUND:     http.StatusNotFound,
		ECONFLICT:     http.StatusConflict,
		ETOOLARGE:     http.StatusRequestEntityTooLarge,
		EUNAVAILABLE:  http.StatusServiceUnavailable,
		EINTERNAL:     http.StatusInternalServerError,
		"":            http.StatusInternalServerError,
	} {
		if got := HTTPStatus(code); got != status {
			t.Errorf("HTTPStatus(%q) = %d, want %d", code, got, status)
		}
		if code != "" && CodeOfHTTPStatus(status) != code {
			t.Errorf("CodeOfHTTPStatus(%d) = %q, want %q", status, CodeOfHTTPStatus(status), code)
		}
	}
	for status, code := range map[int]string{401: EUNAUTHORIZED, 502: EUNAVAILABLE, 504: EUNAVAILABLE, 418: EINTERNAL} {
		if got := CodeOfHTTPStatus(status); got != code {
			t.Errorf("CodeOfHTTPStatus(%d) = %q, want %q", status, got, code)
		}
	}
}
