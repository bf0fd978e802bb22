package probe

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
)

// Error codes of a failed segment, in go-livepeer's vocabulary
// (monitor/census.go) where it has a word for the failure.
const (
	CodeTimeout            = "Timeout"
	CodeOrchestratorCapped = "OrchestratorCapped"
	CodeOrchestratorBusy   = "OrchestratorBusy"
	CodeTranscode          = "Transcode"
	CodeDownload           = "Download"
	CodeUnknownResponse    = "UnknownResponse"
	CodeParseResponse      = "ParseResponse"
	CodeReadBody           = "ReadBody"
	CodeNoOrchestrators    = "NoOrchestrators"
	CodeUnknown            = "Unknown"
	CodeVerificationFailed = podium.ErrorCodeVerificationFailed

	// Codes of podium's own, where go-livepeer has none.

	// CodeUnreachable: the orchestrator could not be connected to at all
	// (DNS, refused, reset, TLS handshake).
	CodeUnreachable = "Unreachable"
	// CodeMissingRendition: the reply lacked a rendition that was asked for.
	CodeMissingRendition = "MissingRendition"
	// CodeSegmentSource: the prober could not prepare a test segment.
	CodeSegmentSource = "SegmentSource"
	// CodeVerifier: the prober's verifier could not run.
	CodeVerifier = "Verifier"
	// CodeIdentityMismatch: the orchestrator that answered did not link
	// its signing key to the registry address under test (see Identity).
	CodeIdentityMismatch = "IdentityMismatch"
	// CodeBadSignature: a segment's results were not signed by the key the
	// orchestrator bound to the registry address.
	CodeBadSignature = "BadSignature"
	// CodePayment: the prober could not pay (its sender's funds).
	CodePayment = lpnet.CodePayment
	// CodePriceOverCap: the orchestrator asks more per pixel than the
	// prober may pay; the test is neither a failure nor a success.
	CodePriceOverCap = lpnet.CodePriceOverCap
	// CodeTicketParams: the orchestrator's ticket parameters could not
	// be paid with.
	CodeTicketParams = lpnet.CodeTicketParams

	// Codes of AI tests (AITester).

	// CodeAIJobFailed: the orchestrator answered 500, its job failed.
	CodeAIJobFailed = "AIJobFailed"
	// CodeAIRefused: the orchestrator refused the request (4xx).
	CodeAIRefused = "AIRefused"
	// CodeAIBadOutput: the answer is not the pipeline's response, or its
	// media are missing, too many or do not decode.
	CodeAIBadOutput = "AIBadOutput"
	// CodeAIWrongSize: an image is not at the size asked (an upscale not
	// at ×4 of its input).
	CodeAIWrongSize = "AIWrongSize"
	// CodeAIBlank: an image is flat.
	CodeAIBlank = "AIBlank"
	// CodeAIMismatch: an upscale is not its input: shrunk back, it
	// differs from it.
	CodeAIMismatch = "AIMismatch"
)

// SegmentError is the failure of one segment, classified by Code.
type SegmentError struct {
	Code string
	Err  error
}

// Error implements error.
func (e *SegmentError) Error() string {
	if e.Err == nil {
		return e.Code
	}
	return e.Code + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *SegmentError) Unwrap() error { return e.Err }

// Errorc wraps err with code; Classify(Errorc(code, err)) == code.
func Errorc(code string, err error) error { return &SegmentError{Code: code, Err: err} }

// Classify returns the error code of err: the Code of a SegmentError in its
// chain, Timeout for deadlines, Unreachable for connection failures, the
// go-livepeer code when the orchestrator's own error text carries one (that
// text is the wire protocol: go-livepeer reports capacity errors only so),
// and Unknown otherwise. Classify(nil) is "".
func Classify(err error) string {
	if err == nil {
		return ""
	}
	var se *SegmentError
	if errors.As(err, &se) && se.Code != "" {
		return se.Code
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return CodeTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return CodeTimeout
	}
	msg := err.Error()
	for _, c := range []string{CodeOrchestratorCapped, CodeOrchestratorBusy} {
		if strings.Contains(msg, c) {
			return c
		}
	}
	var op *net.OpError
	var dns *net.DNSError
	if errors.As(err, &op) || errors.As(err, &dns) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return CodeUnreachable
	}
	return CodeUnknown
}

// NetworkLevel reports whether code says the prober could not talk to the
// orchestrator at all — the kind of failure that, in a cycle the prober's
// canary failed, may be the prober's own. A broadcaster
// that finds no usable session (NoOrchestrators) counts: through a
// broadcaster, that is how an unreachable orchestrator looks.
func NetworkLevel(code string) bool {
	return code == CodeTimeout || code == CodeUnreachable || code == CodeNoOrchestrators
}

// ProberSide reports whether code is a failure of the prober's own parts; a
// test with such an error says nothing about the orchestrator.
func ProberSide(code string) bool {
	return code == CodeSegmentSource || code == CodeVerifier || code == CodePayment
}
