package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/probe"
)

// aiFlags are a prober's AI tests (docs/design.md §6): off unless --ai.
type aiFlags struct {
	on            bool
	pipelines     []string
	timeout       time.Duration
	cycleTimeout  time.Duration
	spread        time.Duration
	concurrency   int
	gateway       string
	webhookListen string
	byURL         bool
}

func (f *aiFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.on, "ai", false, "also test each orchestrator's advertised AI pipelines and models, one request each per cycle")
	fs.StringSliceVar(&f.pipelines, "ai-pipelines", nil, "with --ai: test only these pipelines (default: all of "+strings.Join(lpnet.Pipelines(), ", ")+")")
	fs.DurationVar(&f.timeout, "ai-timeout", probe.DefaultAITimeout, "with --ai: bound on one AI request, answer and downloads included (a slower answer is a Timeout)")
	fs.DurationVar(&f.cycleTimeout, "ai-cycle-timeout", probe.DefaultAICycleTimeout, "with --ai: bound on a cycle's AI tests; tests still running then are dropped, not posted")
	fs.DurationVar(&f.spread, "ai-spread", probe.DefaultAISpread, "with --ai: the AI tests of a cycle start spread evenly over this time")
	fs.IntVar(&f.concurrency, "ai-concurrency", probe.DefaultAIConcurrency, "with --ai: orchestrators whose AI pipelines are tested at once")
	fs.StringVar(&f.gateway, "ai-gateway", "", "with --ai: send AI requests through this go-livepeer gateway ({URL}/{pipeline}) instead of straight to the orchestrator")
	fs.StringVar(&f.webhookListen, "ai-webhook-listen", "127.0.0.1:0", "with --ai-gateway: where to serve the gateway's -orchWebhookUrl list, pinned to the orchestrator under test")
	fs.BoolVar(&f.byURL, "ai-by-url", false, "with --ai: straight to the orchestrator, ask for outputs by URL as current gateways do, not inline")
}

// validate names the first bad AI flag.
func (f *aiFlags) validate() error {
	if !f.on {
		for _, x := range []struct {
			name string
			set  bool
		}{{"--ai-pipelines", len(f.pipelines) > 0}, {"--ai-gateway", f.gateway != ""}, {"--ai-by-url", f.byURL}} {
			if x.set {
				return podium.FieldError(x.name, "goes with --ai").WithHint("pass --ai to test AI pipelines")
			}
		}
		return nil
	}
	for i, p := range f.pipelines {
		f.pipelines[i] = strings.ToLower(strings.TrimSpace(p))
		if _, ok := lpnet.PipelineCapability(f.pipelines[i]); !ok {
			return podium.FieldError("--ai-pipelines", "unknown pipeline %q", p).WithHint("use " + strings.Join(lpnet.Pipelines(), ", "))
		}
	}
	switch {
	case f.timeout <= 0:
		return podium.FieldError("--ai-timeout", "must be positive, got %s", f.timeout)
	case f.cycleTimeout < f.timeout:
		return podium.FieldError("--ai-cycle-timeout", "%s is shorter than --ai-timeout %s: no request could finish", f.cycleTimeout, f.timeout)
	case f.spread < 0 || f.spread >= f.cycleTimeout:
		return podium.FieldError("--ai-spread", "must be from 0 to under --ai-cycle-timeout (%s), got %s", f.cycleTimeout, f.spread)
	case f.concurrency < 1:
		return podium.FieldError("--ai-concurrency", "must be at least 1, got %d", f.concurrency)
	case f.gateway != "" && f.byURL:
		return podium.FieldError("--ai-by-url", "goes with straight requests, not --ai-gateway: the gateway answers as it does")
	}
	if u, err := url.Parse(f.gateway); f.gateway != "" && (err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https")) {
		return podium.FieldError("--ai-gateway", "%q is not an http(s)://host:port URL", f.gateway)
	}
	return nil
}

// plan builds the prober's AI plan, nil without --ai. Straight requests are
// signed (and paid) by client, the direct transport's; through a gateway,
// the gateway's orchestrator webhook is served here.
func (f *aiFlags) plan(ctx context.Context, m *Main, region string, client *lpnet.Client) (*probe.AIPlan, func(), error) {
	if !f.on {
		return nil, func() {}, nil
	}
	t := &probe.AITester{Client: client, Region: region, Timeout: f.timeout, ByURL: f.byURL,
		Pipelines: slices.Clone(f.pipelines), Gap: time.Second, Now: m.Now}
	stop := func() {}
	if f.gateway != "" {
		t.Gateway, t.Webhook = f.gateway, probe.NewWebhook()
		s, err := m.serveHTTP(ctx, "ai-webhook", "--ai-webhook-listen", f.webhookListen, t.Webhook)
		if err != nil {
			return nil, nil, err
		}
		stop = s
	}
	return &probe.AIPlan{Tester: t, Spread: f.spread, CycleTimeout: f.cycleTimeout, Concurrency: f.concurrency}, stop, nil
}

// printAICycle prints one line per AI test of a `podium probe --once`
// cycle; nothing when none ran.
func printAICycle(w io.Writer, c probe.Cycle) {
	if len(c.AI) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nORCHESTRATOR\tPIPELINE\tMODEL\tWARM\tSUCCESS\tRTT\tERRORS")
	failed := 0
	rs := slices.Clone(c.AI)
	slices.SortStableFunc(rs, func(a, b probe.Result) int {
		return cmp.Or(cmp.Compare(a.Target.DisplayName(), b.Target.DisplayName()), cmp.Compare(a.Stats.Pipeline, b.Stats.Pipeline))
	})
	for _, r := range rs {
		s := r.Stats
		errText := "-"
		if len(s.Errors) > 0 {
			errText = s.Errors[0].Message // it begins with its code
			if len(errText) > 120 {
				errText = errText[:120] + "…"
			}
		}
		if s.SuccessRate < 1 {
			failed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%.0f\t%.3fs\t%s\n", r.Target.DisplayName(), s.Pipeline, s.Model, s.ModelIsWarm, s.SuccessRate, s.RoundTripTime, errText)
	}
	tw.Flush()
	fmt.Fprintf(w, "AI tests: %d, failed %d\n", len(c.AI), failed)
}
