package probe

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
)

// Transport reaches orchestrators. Open starts one test's session with one
// orchestrator; the session sends that test's segments. Transports are kept
// in a Transports registry by name (TransportNames).
type Transport interface {
	Open(ctx context.Context, o podium.Orchestrator, opts SessionOptions) (Session, error)
}

// SessionOptions describe the stream a test sends.
type SessionOptions struct {
	// ManifestID names the stream; unique per test.
	ManifestID string
	// Profiles are the rendition profile names asked for, e.g. "P240p30fps16x9".
	Profiles []string
	// Logger receives the session's log lines; they are kept with the test.
	Logger *slog.Logger
	// Timeout bounds each exchange with the orchestrator while opening
	// (GetOrchestrator); waiting for the prober's own resources (a
	// broadcaster busy with another test) is bounded only by ctx.
	Timeout time.Duration
	// AnyIdentity accepts whatever address the orchestrator names instead
	// of its registry address; for the prober's own canary only, whose
	// address it does not know. Results are still checked against that
	// address's signature.
	AnyIdentity bool
}

// Session sends the segments of one test to one orchestrator. Send must honor
// ctx's deadline all the way down to its dialer; Close ends the session.
type Session interface {
	Send(ctx context.Context, seg Segment) (Reply, error)
	Close() error
}

// Identified is a Session that knows which key its orchestrator bound to
// the registry address (the direct transport).
type Identified interface {
	Identity() Identity
}

// PaidSession is a Session that pays for its segments; Cost is what it
// paid so far, segments that failed after their payment left included.
type PaidSession interface {
	Session
	Cost() lpnet.Cost
}

// Segment is one test segment as sent on the wire.
type Segment struct {
	Seq      int
	Data     []byte
	Duration time.Duration
	// Ref is what the Verifier needs to judge renditions of this segment
	// (its fingerprints); the transport ignores it.
	Ref any
}

// Reply is what an orchestrator sent back for one segment, with the time of
// each phase measured by the transport.
type Reply struct {
	Renditions []Rendition
	// Upload is from the first byte sent to the last byte sent; Transcode
	// from then to the orchestrator's answer; Download from then to the last
	// rendition's last byte.
	Upload, Transcode, Download time.Duration
}

// Rendition is one transcoded rendition of a segment.
type Rendition struct {
	Profile string
	Data    []byte
}

// Transports is a registry of transports by name.
type Transports map[string]Transport

// Get returns the transport called name, or an error listing those known.
func (t Transports) Get(name string) (Transport, error) {
	if tr, ok := t[name]; ok {
		return tr, nil
	}
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, podium.Errorf(podium.EINVALID, "unknown transport %q", name).
		WithHint(fmt.Sprintf("use one of %v", names))
}
