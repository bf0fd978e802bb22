package probe

import (
	"context"
	"fmt"
	"net/http"
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

// HTTPCanary checks that a URL (a broadcaster's or a reference node's health
// endpoint) answers 2xx.
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
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("canary %s: status %d", c.URL, resp.StatusCode)
	}
	return nil
}

// FaultRule decides when a cycle's failures are the prober's own.
type FaultRule struct {
	// MinTargets is the fewest tests in a cycle for the majority rule to
	// apply; with fewer, one orchestrator down is not "most".
	MinTargets int
	// Fraction of tests that must have failed only with network-level
	// errors for the cycle to be the prober's fault.
	Fraction float64
}

// DefaultFaultRule: at least 3 tests, more than half of them unreachable.
var DefaultFaultRule = FaultRule{MinTargets: 3, Fraction: 0.5}

// Judge says whether the prober was at fault in a cycle with these results,
// given the canary's error (nil when it passed or there is none), and why.
func (r FaultRule) Judge(results []Result, canaryErr error) (bool, string) {
	if canaryErr != nil {
		return true, "canary failed: " + canaryErr.Error()
	}
	if len(results) < r.MinTargets || len(results) == 0 {
		return false, ""
	}
	n := 0
	for _, res := range results {
		if NetworkFailure(res) {
			n++
		}
	}
	if float64(n) > r.Fraction*float64(len(results)) {
		return true, fmt.Sprintf("%d of %d orchestrators unreachable at once", n, len(results))
	}
	return false, ""
}

// NetworkFailure reports whether a test got nothing through and every one of
// its errors is network-level: the test measured the path, not the
// orchestrator.
func NetworkFailure(r Result) bool {
	if r.Stats.SegmentsReceived > 0 || len(r.Stats.Errors) == 0 {
		return false
	}
	for _, e := range r.Stats.Errors {
		if !NetworkLevel(e.ErrorCode) {
			return false
		}
	}
	return true
}

// Clean reports whether a test found nothing wrong; in a cycle where the
// prober is at fault only clean tests are posted, since any failure may be
// the prober's own.
func Clean(r Result) bool {
	return len(r.Stats.Errors) == 0 && r.Stats.VerificationFailures == 0 && r.Stats.SuccessRate == 1
}

// ProberFault reports whether a test hit a failure of the prober's own parts
// (no test segment, verifier down); such a test is never posted.
func ProberFault(r Result) bool {
	for _, e := range r.Stats.Errors {
		if ProberSide(e.ErrorCode) {
			return true
		}
	}
	return false
}
