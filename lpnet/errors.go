package lpnet

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Error codes of a failed exchange, in go-livepeer's vocabulary where it has
// one. A prober reports them as error_code.
const (
	CodeTimeout   = "Timeout"            // the context's deadline passed
	CodeCapped    = "OrchestratorCapped" // the orchestrator is at capacity
	CodeBusy      = "OrchestratorBusy"   // the orchestrator has no transcoder free
	CodeDiscovery = "Discovery"          // GetOrchestrator failed
	CodeUpload    = "Upload"             // POST /segment failed or was refused
	CodeTranscode = "Transcode"          // the orchestrator reported a transcode error
	CodeDownload  = "Download"           // a rendition could not be fetched
)

// Error is a failed step of the exchange with an orchestrator.
type Error struct {
	Code string
	// Op is the step: "GetOrchestrator", "upload", "transcode" or "download".
	Op string
	// Status is the HTTP status when the orchestrator answered with one.
	Status int
	Err    error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s: status %d: %v", e.Op, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Op, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// newError classifies err from step op, whose default code is code.
func newError(op, code string, status int, err error) *Error {
	msg := err.Error()
	switch {
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(msg, "DeadlineExceeded"):
		code = CodeTimeout
	case strings.Contains(msg, "OrchestratorCapped"):
		code = CodeCapped
	case strings.Contains(msg, "OrchestratorBusy"):
		code = CodeBusy
	}
	return &Error{Code: code, Op: op, Status: status, Err: err}
}

// ErrorCode returns the Code of the first *Error in err's chain, or "" when
// there is none.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
