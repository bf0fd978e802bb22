package probe

import (
	"context"
	"fmt"
	"net/http"

	"github.com/podiumhq/podium"
)

// Canary is a known-good target. When it fails, the prober, not the
// orchestrators, is at fault for the cycle.
type Canary interface {
	Check(ctx context.Context) error
}

// CanaryFunc adapts a function to Canary.
type CanaryFunc func(ctx context.Context) error

// Check calls f.
func (f CanaryFunc) Check(ctx context.Context) error { return f(ctx) }

// HTTPCanary checks that the prober can reach a known-good server (a
// broadcaster, a reference node): any HTTP answer below 500 proves the
// path works; no answer, or a server error, fails the canary.
type HTTPCanary struct {
	URL    string
	Client *http.Client
}

// Check GETs the URL; the deadline comes from ctx.
func (c HTTPCanary) Check(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return fmt.Errorf("canary %s: %w", c.URL, err)
	}
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("canary %s: %w", c.URL, err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("canary %s: status %d", c.URL, resp.StatusCode)
	}
	return nil
}

// TargetCanary tests a known-good orchestrator (a reference node the
// prober's operator runs) like any other; anything short of a clean test
// fails the canary.
type TargetCanary struct {
	Tester    *Tester
	Transport Transport
	Target    podium.Orchestrator
}

// Check runs one test of the target.
func (c TargetCanary) Check(ctx context.Context) error {
	r, err := c.Tester.Test(ctx, c.Transport, c.Target)
	if err != nil {
		return err
	}
	if !Clean(r) {
		return fmt.Errorf("canary %s: success rate %.2f, errors %s", c.Target.ServiceURI, r.Stats.SuccessRate, errorSummary(r.Stats))
	}
	return nil
}

// Judge says whether the prober was at fault in a cycle, and why. Only
// signals the prober controls decide it: its canary (its own reference
// orchestrator, or known-good endpoints); canaryErr is nil when the canary
// passed or there is none. What orchestrators answer never decides it: a
// registry full of entries that refuse connections would otherwise make
// the prober excuse itself, and withhold the failures of cheaters with it.
func Judge(canaryErr error) (bool, string) {
	if canaryErr != nil {
		return true, "canary failed: " + canaryErr.Error()
	}
	return false, ""
}

// Withhold reports whether a test is kept from the leaderboard. A test
// whose orchestrator is to blame for something (a failed verification, a
// transcode error, a refused or badly signed session) is always posted.
// Otherwise a test is withheld when the prober's own parts failed in it, or
// when the prober was at fault in its cycle and the test got no answer at
// all; a test that got renditions back is posted even then.
func Withhold(r Result, proberAtFault bool) bool {
	switch {
	case Blamed(r):
		return false
	case ProberFault(r):
		return true
	case proberAtFault:
		return r.Stats.SegmentsReceived == 0
	}
	return false
}

// Blamed reports whether a test holds a failure only the orchestrator's
// answer can cause: a verification failure, or an error that is neither
// network-level nor the prober's own.
func Blamed(r Result) bool {
	if r.Stats.VerificationFailures > 0 {
		return true
	}
	for _, e := range r.Stats.Errors {
		if !NetworkLevel(e.ErrorCode) && !ProberSide(e.ErrorCode) {
			return true
		}
	}
	return false
}

// Clean reports whether a test found nothing wrong.
func Clean(r Result) bool {
	return len(r.Stats.Errors) == 0 && r.Stats.VerificationFailures == 0 && r.Stats.SuccessRate == 1
}

// ProberFault reports whether a test hit a failure of the prober's own
// parts (no test segment, verifier down). Such a test is not posted unless
// it also proves the orchestrator answered (see Withhold).
func ProberFault(r Result) bool {
	for _, e := range r.Stats.Errors {
		if ProberSide(e.ErrorCode) {
			return true
		}
	}
	return false
}

// OverCap reports whether a test stopped at the orchestrator's price, over
// the prober's cap: it measured nothing and is never posted.
func OverCap(r Result) bool {
	for _, e := range r.Stats.Errors {
		if e.ErrorCode == CodePriceOverCap {
			return true
		}
	}
	return false
}
