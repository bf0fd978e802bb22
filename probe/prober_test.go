package probe_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
)

type staticRegistry []podium.Orchestrator

func (r staticRegistry) Orchestrators(context.Context) ([]podium.Orchestrator, error) { return r, nil }

func addr(i int) string { return fmt.Sprintf("0x%040x", i+1) }

// newProber tests one orchestrator per mode, each through its own transport.
func newProber(t *testing.T, modes ...string) (*probe.Prober, *board, map[string]*modeTransport, *prometheus.Registry) {
	t.Helper()
	var reg staticRegistry
	trs := probe.Transports{}
	byMode := map[string]*modeTransport{}
	pick := map[string]string{}
	for i, m := range modes {
		reg = append(reg, podium.Orchestrator{Address: addr(i), ServiceURI: "https://127.0.0.1:1"})
		name := fmt.Sprintf("%s-%d", m, i)
		tr := &modeTransport{mode: m, delay: 5 * time.Millisecond}
		trs[name], byMode[m], pick[addr(i)] = tr, tr, name
	}
	b := &board{}
	sender, _ := newSender(t, b)
	metrics := prometheus.NewRegistry()
	p := &probe.Prober{
		Registry: reg, Tester: newTester(20*time.Millisecond, 2), Transports: trs, TransportFor: pick,
		Concurrency: 2, Interval: time.Second, Jitter: 0.2, Rand: rand.New(rand.NewPCG(1, 2)),
		Sender: sender, Metrics: probe.NewMetrics(metrics, "FRA"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Sleep: probe.Sleep,
	}
	return p, b, byMode, metrics
}

func TestProber_RunCycle(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		p, b, _, metrics := newProber(t, "honest", "stale", "capped", "down")
		c, err := p.RunCycle(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Fault || c.Recorded != 4 || len(b.stored) != 4 {
			t.Fatalf("cycle = fault %v posted %d; stored %d", c.Fault, c.Recorded, len(b.stored))
		}
		for i, want := range []string{"", probe.CodeVerificationFailed, probe.CodeOrchestratorCapped, probe.CodeUnreachable} {
			s := c.Results[i].Stats
			if s.Orchestrator != addr(i) {
				t.Errorf("result %d is of %s; results keep registry order", i, s.Orchestrator)
			}
			if got := firstCode(s); got != want {
				t.Errorf("%s: code %q, want %q", s.Orchestrator, got, want)
			}
		}
		out, _ := testutil.CollectAndFormat(metrics, expfmt.TypeTextPlain, "podium_probe_tests_total")
		if !strings.Contains(string(out), `podium_probe_tests_total{outcome="failed",region="FRA"} 3`) {
			t.Errorf("metrics:\n%s", out)
		}
	})
	t.Run("OKBoundedConcurrency", func(t *testing.T) {
		// One transport shared by five orchestrators: at most Concurrency
		// sessions at once, never two of one orchestrator.
		p, _, _, _ := newProber(t)
		shared := &modeTransport{mode: "honest", delay: 10 * time.Millisecond}
		var reg staticRegistry
		for i := range 5 {
			reg = append(reg, podium.Orchestrator{Address: addr(i)})
		}
		p.Registry, p.Transports, p.Transport, p.TransportFor = reg, probe.Transports{"direct": shared}, "direct", nil
		if _, err := p.RunCycle(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if shared.most != 2 {
			t.Errorf("most sessions at once = %d, want 2", shared.most)
		}
	})
	t.Run("OKRefusingOrchestratorsDoNotExcuseTheProber", func(t *testing.T) {
		// Entries that refuse connections are the orchestrators' doing:
		// however many there are, the cheater's failure is posted.
		p, b, _, metrics := newProber(t, "honest", "down", "down", "down", "stale")
		c, err := p.RunCycle(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Fault || c.Recorded != 5 || c.Withheld != 0 || len(b.stored) != 5 {
			t.Fatalf("cycle = fault %v (%s) posted %d withheld %d; stored %d", c.Fault, c.FaultReason, c.Recorded, c.Withheld, len(b.stored))
		}
		if s := b.stored[c.Results[4].Stats.TestID]; s.VerificationFailures == 0 {
			t.Errorf("the cheater's record %+v lost its verification failures", s)
		}
		out, _ := testutil.CollectAndFormat(metrics, expfmt.TypeTextPlain, "podium_probe_tester_fault_total")
		if strings.Contains(string(out), "podium_probe_tester_fault_total{region=\"FRA\"} 1") {
			t.Errorf("metrics:\n%s", out)
		}
	})
	t.Run("ErrCanary", func(t *testing.T) {
		// The prober's canary failed: only tests that got no answer at
		// all are withheld; every answer, failed ones included, is posted.
		p, b, _, metrics := newProber(t, "honest", "capped", "stale", "down")
		p.Canary = probe.CanaryFunc(func(context.Context) error { return errors.New("broadcaster down") })
		c, err := p.RunCycle(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Fault || c.Recorded != 3 || c.Withheld != 1 || len(b.stored) != 3 || !strings.Contains(c.FaultReason, "broadcaster down") {
			t.Fatalf("cycle = fault %v posted %d withheld %d; stored %d", c.Fault, c.Recorded, c.Withheld, len(b.stored))
		}
		if _, ok := b.stored[c.Results[3].Stats.TestID]; ok {
			t.Error("the unreachable test of a cycle the prober was at fault in was posted")
		}
		out, _ := testutil.CollectAndFormat(metrics, expfmt.TypeTextPlain, "podium_probe_tester_fault_total", "podium_probe_withheld_total")
		if !strings.Contains(string(out), "podium_probe_tester_fault_total{region=\"FRA\"} 1") ||
			!strings.Contains(string(out), "podium_probe_withheld_total{region=\"FRA\"} 1") {
			t.Errorf("metrics:\n%s", out)
		}
	})
	t.Run("ErrVerifierDown", func(t *testing.T) {
		// The prober's own verifier fails: its tests say nothing about the
		// orchestrators and are never posted.
		p, b, _, _ := newProber(t, "honest", "stale")
		p.Tester.Verifier = brokenVerifier{}
		c, err := p.RunCycle(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Recorded != 0 || c.Withheld != 2 || len(b.stored) != 0 {
			t.Fatalf("cycle = recorded %d withheld %d; stored %d", c.Recorded, c.Withheld, len(b.stored))
		}
		if got := firstCode(c.Results[0].Stats); got != probe.CodeVerifier {
			t.Errorf("code %q, want %q", got, probe.CodeVerifier)
		}
	})
	t.Run("ErrUnknownTransport", func(t *testing.T) {
		p, _, _, _ := newProber(t, "honest")
		p.TransportFor = map[string]string{addr(0): "carrier-pigeon"}
		_, err := p.RunCycle(ctx, 1)
		if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(err.Error(), "carrier-pigeon") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestProber_Run(t *testing.T) {
	// Cycles repeat, spaced by the jittered interval, until ctx ends.
	p, b, _, _ := newProber(t, "honest")
	var waits []time.Duration
	ctx, cancel := context.WithCancel(context.Background())
	p.Sleep = func(ctx context.Context, d time.Duration) error {
		if d >= 500*time.Millisecond { // a cycle wait, not a segment's pacing
			waits = append(waits, d)
			if len(waits) == 3 {
				cancel()
			}
			return ctx.Err()
		}
		return probe.Sleep(ctx, d)
	}
	if err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(b.stored) != 3 {
		t.Errorf("stored %d records, want one per cycle", len(b.stored))
	}
	for _, w := range waits {
		if w < 800*time.Millisecond || w > 1200*time.Millisecond || w == time.Second {
			t.Errorf("wait %v: want Interval ±20%% jitter", w)
		}
	}
}

type brokenVerifier struct{}

func (brokenVerifier) Verify(context.Context, probe.Segment, []probe.Rendition) ([]probe.Verdict, error) {
	return nil, errors.New("ffmpeg: executable file not found in $PATH")
}

func firstCode(s podium.Stats) string {
	if len(s.Errors) == 0 {
		return ""
	}
	return s.Errors[0].ErrorCode
}

// A cycle cut short keeps the tests it finished; the next start judges and
// posts them.
func TestProber_Recover(t *testing.T) {
	t.Run("OKInterruptedCycle", func(t *testing.T) {
		p, b, _, _ := newProber(t, "honest", "honest", "honest", "honest")
		p.Concurrency = 1
		ctx, cancel := context.WithCancel(context.Background())
		p.Progress = func(done, _ int, _ probe.Result) {
			if done == 1 {
				cancel() // the prober is stopped after its first test
			}
		}
		if _, err := p.RunCycle(ctx, 1); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want the cycle cancelled", err)
		}
		held, err := p.Sender.Spool.Held()
		if err != nil || len(held) == 0 || len(b.stored) != 0 {
			t.Fatalf("after the stop: %d held (%v), %d stored; want the finished test held, none posted", len(held), err, len(b.stored))
		}
		c, err := p.Recover(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c.Recorded != len(held) || len(b.stored) != len(held) {
			t.Fatalf("recovered %+v, stored %d; want the %d held tests posted", c, len(b.stored), len(held))
		}
		for _, s := range held {
			if _, ok := b.stored[s.TestID]; !ok {
				t.Errorf("held test %s was not posted", s.TestID)
			}
		}
		if left, _ := p.Sender.Spool.Held(); len(left) != 0 {
			t.Errorf("%d tests still held after recovery", len(left))
		}
	})
	t.Run("OKUnreachableHeld", func(t *testing.T) {
		// The interrupted cycle's canary cannot be asked any more; held
		// records of unreachable orchestrators are their own doing.
		p, b, _, _ := newProber(t)
		unreachable := func(i int) podium.Stats {
			return podium.Stats{Region: "FRA", Orchestrator: addr(i), Timestamp: 1700000000, TestID: fmt.Sprintf("u%d", i),
				SegmentsSent: 15, Errors: []podium.StatsError{{ErrorCode: probe.CodeUnreachable, Message: "connection refused", Count: 1}}}
		}
		clean := podium.Stats{Region: "FRA", Orchestrator: addr(9), Timestamp: 1700000000, TestID: "clean",
			SegmentsSent: 15, SegmentsReceived: 45, SuccessRate: 1, Errors: []podium.StatsError{}}
		for _, s := range []podium.Stats{unreachable(0), unreachable(1), unreachable(2), clean} {
			if err := p.Sender.Spool.Hold(s); err != nil {
				t.Fatal(err)
			}
		}
		c, err := p.Recover(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c.Fault || c.Recorded != 4 || c.Withheld != 0 || len(b.stored) != 4 {
			t.Fatalf("recovered %+v, stored %v; want all four posted", c, b.stored)
		}
		if left, _ := p.Sender.Spool.Held(); len(left) != 0 {
			t.Errorf("%d tests still held after recovery", len(left))
		}
	})
	t.Run("OKNothingHeld", func(t *testing.T) {
		p, b, _, _ := newProber(t)
		if c, err := p.Recover(context.Background()); err != nil || len(c.Results) != 0 || len(b.stored) != 0 {
			t.Fatalf("recovered %+v, %v from an empty spool", c, err)
		}
	})
}
