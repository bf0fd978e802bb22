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
