package probe_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
)

func result(received int, rate float64, codes ...string) probe.Result {
	s := podium.Stats{SegmentsReceived: received, SuccessRate: rate}
	for _, c := range codes {
		s.Errors = append(s.Errors, podium.StatsError{ErrorCode: c, Count: 1})
	}
	return probe.Result{Stats: s}
}

func TestJudge(t *testing.T) {
	if fault, why := probe.Judge(nil); fault || why != "" {
		t.Errorf("no canary failure: fault %v (%s); only the canary decides", fault, why)
	}
	if fault, why := probe.Judge(errors.New("refused")); !fault || !strings.Contains(why, "refused") {
		t.Errorf("canary failed: fault %v (%s)", fault, why)
	}
}

func TestWithhold(t *testing.T) {
	verifierDown := result(6, 0, probe.CodeVerifier)
	verifierDownAndCheat := result(6, 0, probe.CodeVerifier)
	verifierDownAndCheat.Stats.VerificationFailures = 1
	for _, tc := range []struct {
		name          string
		r             probe.Result
		fault, reject bool
	}{
		{"OKClean", result(6, 1), false, false},
		{"OKCleanProberAtFault", result(6, 1), true, false},
		{"OKUnreachable", result(0, 0, probe.CodeUnreachable), false, false},
		{"OKTimeout", result(0, 0, probe.CodeTimeout), false, false},
		{"ErrUnreachableProberAtFault", result(0, 0, probe.CodeUnreachable), true, true},
		{"ErrTimeoutProberAtFault", result(0, 0, probe.CodeTimeout, probe.CodeNoOrchestrators), true, true},
		{"OKRenditionsBackProberAtFault", result(3, 0.5, probe.CodeTimeout), true, false},
		{"OKCheatProberAtFault", result(6, 0, probe.CodeVerificationFailed), true, false},
		{"OKCappedProberAtFault", result(0, 0, probe.CodeOrchestratorCapped), true, false},
		{"OKTranscodeErrorProberAtFault", result(0, 0, probe.CodeTranscode), true, false},
		{"OKBadSignatureProberAtFault", result(0, 0, probe.CodeBadSignature), true, false},
		{"OKIdentityMismatchProberAtFault", result(0, 0, probe.CodeIdentityMismatch), true, false},
		{"ErrVerifierDown", verifierDown, false, true},
		{"OKVerifierDownButCaught", verifierDownAndCheat, false, false},
		{"ErrNoSegment", result(0, 0, probe.CodeSegmentSource), false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := probe.Withhold(tc.r, tc.fault); got != tc.reject {
				t.Fatalf("Withhold(%v, at fault %v) = %v, want %v", tc.r.Stats.Errors, tc.fault, got, tc.reject)
			}
		})
	}
}

func TestClean(t *testing.T) {
	if !probe.Clean(result(6, 1)) {
		t.Error("a perfect test is clean")
	}
	if probe.Clean(result(6, 0.5)) || probe.Clean(result(0, 0, probe.CodeTimeout)) {
		t.Error("a test with failures is not clean")
	}
}

func TestHTTPCanary_Check(t *testing.T) {
	status := http.StatusNotFound
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
	defer srv.Close()
	ctx := context.Background()
	t.Run("OKAnyAnswer", func(t *testing.T) {
		if err := (probe.HTTPCanary{URL: srv.URL}).Check(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrServerError", func(t *testing.T) {
		status = http.StatusServiceUnavailable
		if err := (probe.HTTPCanary{URL: srv.URL}).Check(ctx); err == nil {
			t.Fatal("a 503 fails the canary")
		}
	})
	t.Run("ErrUnreachable", func(t *testing.T) {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := l.Addr().String()
		l.Close()
		if err := (probe.HTTPCanary{URL: "http://" + addr}).Check(ctx); err == nil {
			t.Fatal("no answer fails the canary")
		}
	})
}

func TestTargetCanary_Check(t *testing.T) {
	ctx := context.Background()
	ok := probe.TargetCanary{Tester: newTester(10*time.Millisecond, 1), Transport: &modeTransport{mode: "honest"}, Target: orch}
	if err := ok.Check(ctx); err != nil {
		t.Fatalf("OK: %v", err)
	}
	bad := probe.TargetCanary{Tester: newTester(10*time.Millisecond, 1), Transport: &modeTransport{mode: "capped"}, Target: orch}
	if err := bad.Check(ctx); err == nil || !strings.Contains(err.Error(), "OrchestratorCapped") {
		t.Fatalf("ErrCapped: %v", err)
	}
}

func TestCanaries_Check(t *testing.T) {
	ok := probe.CanaryFunc(func(context.Context) error { return nil })
	down := probe.CanaryFunc(func(context.Context) error { return errors.New("refused") })
	for _, tc := range []struct {
		name  string
		c     probe.Canaries
		fault bool
	}{
		{"OKNone", probe.Canaries{}, false},
		{"OKAllUp", probe.Canaries{Orchestrator: ok, Endpoints: []probe.Canary{ok, ok}}, false},
		{"OKOneOfThreeEndpointsDown", probe.Canaries{Endpoints: []probe.Canary{ok, down, ok}}, false},
		{"OKHalfIsNotMost", probe.Canaries{Endpoints: []probe.Canary{ok, down}}, false},
		{"ErrOnlyEndpointDown", probe.Canaries{Endpoints: []probe.Canary{down}}, true},
		{"ErrMostEndpointsDown", probe.Canaries{Endpoints: []probe.Canary{down, ok, down}}, true},
		{"ErrOrchestratorDown", probe.Canaries{Orchestrator: down, Endpoints: []probe.Canary{ok}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Check(context.Background())
			if (err != nil) != tc.fault {
				t.Fatalf("Check = %v, want fault %v", err, tc.fault)
			}
			if err != nil && !strings.Contains(err.Error(), "refused") {
				t.Errorf("error %q does not say which check failed", err)
			}
		})
	}
}
