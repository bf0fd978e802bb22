package probe_test

import (
	"errors"
	"testing"

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
