package probe_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/probe"
)

// withAINodes gives p's orchestrators reference AI nodes, the i-th in
// faults[i], each its own address, their transcoding tests still on p's
// transports.
func withAINodes(t *testing.T, p *probe.Prober, faults ...string) staticRegistry {
	t.Helper()
	var reg staticRegistry
	trs, pick := probe.Transports{}, map[string]string{}
	for i, fault := range faults {
		f, err := node.ParseAIFault(fault)
		if err != nil {
			t.Fatal(err)
		}
		signer := lpnet.NewSigner(lpnet.KeyFromSeed(int64(300 + i)))
		uri := startNode(t, &node.Orchestrator{Signer: signer, AI: &node.AIWorker{Fault: f, Seed: 3, FFmpeg: &node.FFmpeg{Threads: 1}}})
		a := strings.ToLower(signer.Address().Hex())
		reg = append(reg, podium.Orchestrator{Address: a, ServiceURI: uri})
		trs[a], pick[a] = &modeTransport{mode: "honest", delay: 5 * time.Millisecond}, a
	}
	p.Registry, p.Transports, p.TransportFor = reg, trs, pick
	return reg
}

func TestProber_AI(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		p, b, _, metrics := newProber(t)
		reg := withAINodes(t, p, "none", "error")
		var mu sync.Mutex
		var waits []time.Duration
		p.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			return probe.Sleep(ctx, d)
		}
		p.AI = &probe.AIPlan{Tester: aiTester(30*time.Second, false), Spread: 400 * time.Millisecond, Concurrency: 1}
		c, err := p.RunCycle(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Results) != 2 || len(c.AI) != 8 || c.Recorded != 10 || len(b.stored) != 10 {
			t.Fatalf("cycle: %d transcoding, %d AI, %d recorded; %d stored", len(c.Results), len(c.AI), c.Recorded, len(b.stored))
		}
		if len(waits) != 1 || waits[0] != 200*time.Millisecond {
			t.Errorf("waits between AI tests = %v, want one of 400ms/2", waits)
		}
		for _, r := range c.AI {
			s, ok := b.stored[r.Stats.TestID]
			if !ok || !s.IsAI() || s.JobType() != podium.JobAI || s.InputParameters == "" {
				t.Fatalf("AI record %+v not posted as an AI record (%+v)", r.Stats, s)
			}
			honest := s.Orchestrator == reg[0].Address
			if honest && (s.SuccessRate != 1 || len(s.Errors) != 0 || s.RoundTripTime <= 0 || !s.ModelIsWarm || s.ResponsePayload == "") {
				t.Errorf("honest %s: %+v", s.Pipeline, s)
			}
			if !honest && (s.SuccessRate != 0 || len(s.Errors) != 1 || s.Errors[0].ErrorCode != probe.CodeAIJobFailed ||
				!strings.Contains(s.Errors[0].Message, "status 500")) {
				t.Errorf("failing %s: %+v, want AIJobFailed with its status 500", s.Pipeline, s)
			}
			if s.SegmentsSent != 0 || s.SegDuration != 0 {
				t.Errorf("AI record with transcoding fields: %+v", s)
			}
		}
		out, _ := testutil.CollectAndFormat(metrics, expfmt.TypeTextPlain, "podium_probe_ai_tests_total", "podium_probe_tests_total")
		for _, want := range []string{`podium_probe_ai_tests_total{outcome="ok",pipeline="upscale",region="FRA"} 1`,
			`podium_probe_ai_tests_total{outcome="failed",pipeline="upscale",region="FRA"} 1`,
			`podium_probe_tests_total{outcome="ok",region="FRA"} 2`} {
			if !strings.Contains(string(out), want) {
				t.Errorf("metrics lack %s:\n%s", want, out)
			}
		}
	})
	t.Run("OKPipelines", func(t *testing.T) {
		p, b, _, _ := newProber(t)
		withAINodes(t, p, "none")
		tester := aiTester(30*time.Second, false)
		tester.Pipelines = []string{lpnet.PipelineUpscale}
		p.AI = &probe.AIPlan{Tester: tester}
		c, err := p.RunCycle(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.AI) != 1 || c.AI[0].Stats.Pipeline != lpnet.PipelineUpscale || len(b.stored) != 2 {
			t.Fatalf("AI results %+v, stored %d; want upscale only", c.AI, len(b.stored))
		}
	})
	t.Run("ErrCycleTimeout", func(t *testing.T) {
		// The cycle's AI time runs out while a slow node works: the cut
		// tests are dropped, not posted as the orchestrator's timeouts,
		// and the cycle ends on time.
		p, b, _, _ := newProber(t)
		withAINodes(t, p, "slow=5s")
		p.AI = &probe.AIPlan{Tester: aiTester(30*time.Second, false), CycleTimeout: 500 * time.Millisecond}
		start := time.Now()
		c, err := p.RunCycle(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("cycle took %s with a 500ms AI bound", took)
		}
		if len(c.AI) != 0 || len(b.stored) != 1 {
			t.Fatalf("AI results %+v, stored %d; want the transcoding record only", c.AI, len(b.stored))
		}
	})
	t.Run("ErrCanaryWithholdsAITimeouts", func(t *testing.T) {
		// The prober is at fault: an AI test that got no answer in its own
		// time is withheld like a transcoding one; a failed answer is not.
		p, b, _, _ := newProber(t)
		withAINodes(t, p, "slow=20s", "error")
		p.Canary = probe.CanaryFunc(func(context.Context) error { return context.DeadlineExceeded })
		// Long enough for the failing node's work on a loaded machine.
		tester := aiTester(4*time.Second, false)
		tester.Pipelines = []string{lpnet.PipelineUpscale}
		p.AI = &probe.AIPlan{Tester: tester}
		c, err := p.RunCycle(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.AI) != 2 || c.Withheld != 1 || len(b.stored) != 3 {
			t.Fatalf("AI %d, withheld %d, stored %d; want the timeout withheld, the 500 posted: %+v", len(c.AI), c.Withheld, len(b.stored), c.AI)
		}
	})
}
