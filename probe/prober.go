package probe

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
)

// Prober tests every orchestrator of a registry in cycles: one test per
// orchestrator at a time, at most Concurrency tests at once, cycles spaced by
// Interval ± Jitter. After each cycle it asks its canary whether the prober
// itself was at fault (Judge), and hands the results it trusts to the
// Sender (Withhold).
type Prober struct {
	Registry   podium.Registry
	Tester     *Tester
	Transports Transports
	// Transport is the default transport's name; TransportFor overrides it
	// per orchestrator address (lowercase).
	Transport    string
	TransportFor map[string]string

	Concurrency int
	Interval    time.Duration
	Jitter      float64 // fraction of Interval, 0 to 1
	Rand        *rand.Rand

	Canary  Canary // optional; without one the prober is never at fault
	Sender  *Sender
	Metrics *Metrics
	Logger  *slog.Logger
	Sleep   func(ctx context.Context, d time.Duration) error
	// Funds, when set, checks before each cycle that the prober can pay
	// for testing orchestrators orchestrators; its error stops the cycle.
	Funds func(ctx context.Context, orchestrators int) error
	// Progress, when set, is called as each test of a cycle ends.
	Progress func(done, total int, r Result)
	// Capacity, when set, runs the capacity tests due after each cycle's
	// tests (not in a cycle where the prober was at fault).
	Capacity *CapacityRunner
	// AI, when set, runs AI tests next to the transcoding ones (AIPlan).
	AI *AIPlan
}

// Cycle is one pass over the registry.
type Cycle struct {
	Seq     int
	Results []Result // in registry order
	// AI are the cycle's AI tests, one per record, in the order they ended.
	AI []Result
	// Fault says the prober was at fault; only results proving the
	// orchestrator answered were kept. Recorded results went to the Sender (spooled, then posted);
	// Withheld ones were only logged and counted.
	Fault       bool
	FaultReason string
	Recorded    int
	Withheld    int
	// OverCap counts the orchestrators whose price was over the cap (not
	// tested, not posted, not among Withheld).
	OverCap int
	// Cost is what the cycle's tests paid.
	Cost lpnet.Cost
	// Capacity are the capacity tests run after the cycle's tests.
	Capacity []CapacityResult
}

// RunCycle tests every orchestrator once and posts the results.
func (p *Prober) RunCycle(ctx context.Context, seq int) (Cycle, error) {
	orchs, err := p.Registry.Orchestrators(ctx)
	if err != nil {
		return Cycle{}, fmt.Errorf("cycle %d: list orchestrators: %w", seq, err)
	}
	if p.Funds != nil {
		if err := p.Funds(ctx, len(orchs)); err != nil {
			// The prober cannot pay: no orchestrator is tested, so none
			// is scored down for the prober's want of funds.
			return Cycle{}, fmt.Errorf("cycle %d: %w", seq, err)
		}
	}
	c := Cycle{Seq: seq, Results: make([]Result, len(orchs))}
	order := make([]int, len(orchs))
	for i := range order {
		order[i] = i
	}
	if p.Rand != nil {
		// A seeded shuffle: no orchestrator is always tested first.
		p.Rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	p.Logger.Info("cycle start", "cycle", seq, "orchestrators", len(orchs))
	waitAI := p.startAI(ctx, seq, orchs, order)

	sem := make(chan struct{}, max(p.Concurrency, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	done := 0
	for _, i := range order {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			waitAI()
			return Cycle{}, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res, err := p.test(ctx, orchs[i])
			if err == nil {
				p.hold(res.Stats)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			c.Results[i] = res
			done++
			p.Logger.Info("tested", "cycle", seq, "n", done, "of", len(orchs), "orchestrator", res.Stats.Orchestrator, "transport", res.Transport,
				"success_rate", res.Stats.SuccessRate, "round_trip_time", res.Stats.RoundTripTime, "errors", errorSummary(res.Stats))
			if !Clean(res) {
				p.Logger.Debug("test log", "test_id", res.Stats.TestID, "log", res.Log)
			}
			if p.Progress != nil {
				p.Progress(done, len(orchs), res)
			}
		}()
	}
	wg.Wait()
	c.AI = waitAI()
	if firstErr != nil {
		return Cycle{}, fmt.Errorf("cycle %d: %w", seq, firstErr)
	}

	for _, i := range crossCheck(c.Results) {
		p.hold(c.Results[i].Stats) // the held copy must not outlive the verdict
		p.Logger.Warn("identity conflict", "cycle", seq, "orchestrator", c.Results[i].Stats.Orchestrator, "signer", c.Results[i].Identity.Signer)
	}

	var canaryErr error
	if p.Canary != nil {
		if canaryErr = p.Canary.Check(ctx); canaryErr != nil {
			p.Metrics.canary()
			p.Logger.Warn("canary failed", "cycle", seq, "err", canaryErr)
		}
	}
	if err := p.settle(ctx, &c, canaryErr); err != nil {
		return c, err
	}
	if p.Capacity != nil && !c.Fault {
		if c.Capacity, err = p.Capacity.Run(ctx, orchs, p.transport); err != nil {
			return c, fmt.Errorf("cycle %d: capacity: %w", seq, err)
		}
	}
	p.Logger.Info("cycle done", "cycle", seq, "recorded", c.Recorded, "withheld", c.Withheld, "tester_fault", c.Fault,
		"price_over_cap", c.OverCap, "tickets", c.Cost.Tickets, "ticket_ev_wei", ratString(c.Cost.EV))
	return c, nil
}

// settle judges c's results (tester at fault or not), sends those to post
// and releases every one from the spool's held records.
func (p *Prober) settle(ctx context.Context, c *Cycle, canaryErr error) error {
	c.Fault, c.FaultReason = Judge(canaryErr)
	if c.Fault {
		p.Logger.Warn("tester at fault: withholding tests that got no answer", "cycle", c.Seq, "reason", c.FaultReason)
	}
	p.Metrics.cycle(c.Fault)
	for _, r := range slices.Concat(c.Results, c.AI) {
		c.Cost = c.Cost.Add(r.Cost)
		if OverCap(r) {
			c.OverCap++
			p.Logger.Info("price over cap", "cycle", c.Seq, "orchestrator", r.Stats.Orchestrator)
			p.unhold(r.Stats.TestID)
			continue
		}
		post := !Withhold(r, c.Fault)
		p.Metrics.test(r, post)
		if !post {
			c.Withheld++
			p.Logger.Info("withheld", "cycle", c.Seq, "test_id", r.Stats.TestID, "errors", errorSummary(r.Stats))
		} else if err := p.Sender.Send(ctx, r.Stats); err != nil {
			return fmt.Errorf("cycle %d: %w", c.Seq, err)
		} else {
			c.Recorded++
		}
		p.unhold(r.Stats.TestID)
	}
	return nil
}

// Recover settles the tests a cycle finished before a crash or a stop cut
// it short, kept in the spool's held records. That cycle's canary cannot
// be asked any more, so the prober is not taken to be at fault: each test
// is posted unless its own record says to withhold it. Run it before the
// first cycle; it returns the recovered tests as a cycle with Seq 0.
func (p *Prober) Recover(ctx context.Context) (Cycle, error) {
	var c Cycle
	if p.Sender == nil || p.Sender.Spool == nil {
		return c, nil
	}
	held, err := p.Sender.Spool.Held()
	if err != nil || len(held) == 0 {
		return c, err
	}
	for _, s := range held {
		c.Results = append(c.Results, Result{Stats: s})
	}
	if err := p.settle(ctx, &c, nil); err != nil {
		return c, err
	}
	p.Logger.Info("recovered the tests of an interrupted cycle", "recorded", c.Recorded, "withheld", c.Withheld, "tester_fault", c.Fault)
	return c, nil
}

// hold keeps a finished test's record on disk until its cycle is settled.
func (p *Prober) hold(s podium.Stats) {
	if p.Sender == nil || p.Sender.Spool == nil {
		return
	}
	if err := p.Sender.Spool.Hold(s); err != nil {
		p.Logger.Error("hold test in spool; a crash before the cycle ends would lose it", "test_id", s.TestID, "err", err)
	}
}

// unhold releases a settled test's held record.
func (p *Prober) unhold(testID string) {
	if p.Sender == nil || p.Sender.Spool == nil {
		return
	}
	if err := p.Sender.Spool.Unhold(testID); err != nil {
		p.Logger.Error("release held test", "test_id", testID, "err", err)
	}
}

// Run runs cycles until ctx is done.
func (p *Prober) Run(ctx context.Context) error {
	for seq := 1; ; seq++ {
		if _, err := p.RunCycle(ctx, seq); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			p.Logger.Error("cycle", "cycle", seq, "err", err)
		}
		if err := p.Sleep(ctx, p.nextWait()); err != nil {
			return nil
		}
	}
}

// nextWait is Interval jittered by ±Jitter, drawn from the seeded Rand.
func (p *Prober) nextWait() time.Duration {
	if p.Rand == nil || p.Jitter <= 0 {
		return p.Interval
	}
	f := 1 + p.Jitter*(2*p.Rand.Float64()-1)
	return time.Duration(float64(p.Interval) * f)
}

func (p *Prober) test(ctx context.Context, o podium.Orchestrator) (Result, error) {
	tr, err := p.transport(o)
	if err != nil {
		return Result{}, err
	}
	res, err := p.Tester.Test(ctx, tr, o)
	res.Transport = p.transportName(o)
	return res, err
}

// transport is the transport o is tested over.
func (p *Prober) transport(o podium.Orchestrator) (Transport, error) {
	return p.Transports.Get(p.transportName(o))
}

func (p *Prober) transportName(o podium.Orchestrator) string {
	if n, ok := p.TransportFor[strings.ToLower(o.Address)]; ok {
		return n
	}
	return p.Transport
}

func errorSummary(s podium.Stats) string {
	parts := make([]string, 0, len(s.Errors))
	for _, e := range s.Errors {
		parts = append(parts, fmt.Sprintf("%s×%d", e.ErrorCode, e.Count))
	}
	return strings.Join(parts, ",")
}
