package podium

import (
	"errors"
	"fmt"
	"net/http"
)

// Error codes. Each maps to one HTTP status and one exit status (the
// statuses table below), so callers decide by code, never by message text.
const (
	ECONFLICT     = "conflict"     // the request contradicts stored state
	EINTERNAL     = "internal"     // a bug or an unexpected failure
	EINVALID      = "invalid"      // the input is malformed or out of range
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	EUNAUTHORIZED = "unauthorized" // a signature or credential is missing or wrong
	ETOOLARGE     = "too_large"    // the input exceeds a size limit
	EUNAVAILABLE  = "unavailable"  // a dependency is down; retrying later may work
)

// statuses is the one table from an error code to what it becomes at the
// edges: the HTTP status the API and the pages answer with, and the exit
// status of a command (2: fix the input or the flags and run it again;
// 1: anything else).
var statuses = map[string]struct{ http, exit int }{
	EINVALID:      {http.StatusBadRequest, 2},
	EUNAUTHORIZED: {http.StatusForbidden, 1}, // leaderboard-serverless answers bad auth with 403
	ENOTFOUND:     {http.StatusNotFound, 1},
	ECONFLICT:     {http.StatusConflict, 1},
	ETOOLARGE:     {http.StatusRequestEntityTooLarge, 1},
	EUNAVAILABLE:  {http.StatusServiceUnavailable, 1},
	EINTERNAL:     {http.StatusInternalServerError, 1},
}

// HTTPStatus returns the HTTP status of error code; 500 for an unknown one.
func HTTPStatus(code string) int {
	if s, ok := statuses[code]; ok {
		return s.http
	}
	return http.StatusInternalServerError
}

// CodeOfHTTPStatus is HTTPStatus read backwards, for clients of the API: the
// error code an answer's status stands for. Statuses outside the table map
// to their nearest code (401 to EUNAUTHORIZED, the gateway errors to
// EUNAVAILABLE), and anything else to EINTERNAL.
func CodeOfHTTPStatus(status int) string {
	for code, s := range statuses {
		if s.http == status {
			return code
		}
	}
	switch status {
	case http.StatusUnauthorized:
		return EUNAUTHORIZED
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// ExitStatus returns the process exit status of error code; 1 for an
// unknown one.
func ExitStatus(code string) int {
	if s, ok := statuses[code]; ok {
		return s.exit
	}
	return 1
}

// Error is podium's error type. Code classifies it, Field names the input
// field at fault (if any), Message is safe to show to the user and Hint says
// what to do next.
type Error struct {
	Code    string
	Field   string
	Message string
	Hint    string
	Err     error

	// wrapped are the causes a format's %w verbs named: kept in the chain
	// for errors.Is and errors.As, and already spelled out in Message.
	wrapped []error
}

// Error implements the error interface.
func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		if msg == "" {
			return e.Err.Error()
		}
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the wrapped causes: Err, and those Errorf's %w named.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return append([]error{e.Err}, e.wrapped...)
	}
	return e.wrapped
}

// Errorf returns an Error with the given code and formatted message. As
// with fmt.Errorf, a %w verb keeps its error in the chain, so its code,
// hint and identity survive.
func Errorf(code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	e := &Error{Code: code, Message: err.Error()}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		e.wrapped = []error{u.Unwrap()}
	case interface{ Unwrap() []error }:
		e.wrapped = u.Unwrap()
	}
	return e
}

// FieldError returns an EINVALID error naming the field at fault.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// WithHint returns a copy of e carrying a hint for the user.
func (e *Error) WithHint(hint string) *Error {
	c := *e
	c.Hint = hint
	return &c
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		return e.Code
	}
	return EINTERNAL
}

// ErrorHint returns the hint of the first *Error in err's chain that has
// one: an outer error without a hint lets its cause's hint through.
func ErrorHint(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return ""
	}
	if e.Hint != "" {
		return e.Hint
	}
	for _, cause := range e.Unwrap() {
		if h := ErrorHint(cause); h != "" {
			return h
		}
	}
	return ""
}

// ErrorField returns the field named by the first *Error in err's chain.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ListenError is the one error for an address a server cannot listen on:
// flag names the setting that gave addr (e.g. "--listen"). An address in
// use or not ours is the user's to change, so the code is EINVALID and the
// hint says how.
func ListenError(flag, addr string, err error) *Error {
	return &Error{Code: EINVALID, Field: flag, Message: fmt.Sprintf("cannot listen on %s", addr), Err: err,
		Hint: fmt.Sprintf("pick a free address, e.g. %s 127.0.0.1:0", flag)}
}
