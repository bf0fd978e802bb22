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

func TestFaultRule_Judge(t *testing.T) {
	good := result(6, 1)
	down := result(0, 0, probe.CodeUnreachable)
	slow := result(0, 0, probe.CodeTimeout)
	lost := result(0, 0, probe.CodeNoOrchestrators)
	capped := result(0, 0, probe.CodeOrchestratorCapped)
	cheat := result(6, 0, probe.CodeVerificationFailed)
	for _, tc := range []struct {
		name    string
		results []probe.Result
		canary  error
		fault   bool
	}{
		{"OKAllGood", []probe.Result{good, good, good}, nil, false},
		{"OKOneDown", []probe.Result{good, good, down}, nil, false},
		{"OKFaultsOfTheirOwn", []probe.Result{capped, cheat, capped, down}, nil, false},
		{"OKTooFewToTell", []probe.Result{down, slow}, nil, false},
		{"OKHalfIsNotMost", []probe.Result{good, good, down, slow}, nil, false},
		{"ErrMostUnreachable", []probe.Result{good, down, slow, down}, nil, true},
		{"ErrBroadcasterFindsNone", []probe.Result{good, lost, lost, lost}, nil, true},
		{"ErrCanary", []probe.Result{good, good, good}, errors.New("refused"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fault, why := probe.DefaultFaultRule.Judge(tc.results, tc.canary)
			if fault != tc.fault {
				t.Fatalf("fault = %v (%s), want %v", fault, why, tc.fault)
			}
			if fault && why == "" {
				t.Error("a fault must say why")
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
