package probe

import (
	"context"
	"sync"
	"time"

	"github.com/podiumhq/podium"
)

// Defaults of a prober's AI tests.
const (
	// DefaultAISpread is the time over which a cycle's AI tests start.
	DefaultAISpread = time.Minute
	// DefaultAICycleTimeout bounds the AI tests of one cycle.
	DefaultAICycleTimeout = 10 * time.Minute
	// DefaultAIConcurrency is how many orchestrators' AI tests run at once.
	DefaultAIConcurrency = 2
)

// AIPlan is how a Prober runs AI tests next to its transcoding tests: each
// cycle, one AI test per orchestrator (every pipeline and model it
// advertises, Tester.Pipelines allowing), in the cycle's shuffled order.
// The tests start staggered, the k-th of n at k×Spread/n, at most
// Concurrency at once, so that no orchestrator and no gateway gets them
// all at once; every one ends by CycleTimeout after the cycle began. A
// test cut short by CycleTimeout is dropped, not posted: the prober ran
// out of time, the orchestrator did not fail.
type AIPlan struct {
	Tester       *AITester
	Spread       time.Duration
	CycleTimeout time.Duration // DefaultAICycleTimeout when 0
	Concurrency  int           // DefaultAIConcurrency when 0
	// Progress, when set, is called as each AI record is made.
	Progress func(r Result)
}

// startAI starts the AI tests of a cycle, in order over orchs, and returns
// the function that waits for them and returns their results: one per
// record, in the order the tests ended. Without an AI plan it starts
// nothing and its wait returns nil.
func (p *Prober) startAI(ctx context.Context, seq int, orchs []podium.Orchestrator, order []int) (wait func() []Result) {
	a := p.AI
	if a == nil || a.Tester == nil || len(order) == 0 {
		return func() []Result { return nil }
	}
	timeout := a.CycleTimeout
	if timeout <= 0 {
		timeout = DefaultAICycleTimeout
	}
	conc := a.Concurrency
	if conc <= 0 {
		conc = DefaultAIConcurrency
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	var mu sync.Mutex
	var out []Result
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer cancel()
		sem := make(chan struct{}, conc)
		var wg sync.WaitGroup
		defer wg.Wait()
		step := a.Spread / time.Duration(len(order))
		for k, i := range order {
			if k > 0 && p.sleep(ctx, step) != nil {
				return
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				stats, err := a.Tester.Test(ctx, orchs[i])
				if err != nil {
					p.Logger.Info("AI test ended early", "cycle", seq, "orchestrator", orchs[i].Address, "records", len(stats), "code", Classify(err), "err", err)
				}
				for _, s := range stats {
					r := Result{Target: orchs[i], Transport: "ai", Stats: s.Record(), Cost: s.Paid}
					p.hold(r.Stats)
					if a.Progress != nil {
						a.Progress(r)
					}
					p.Logger.Info("AI tested", "cycle", seq, "orchestrator", r.Stats.Orchestrator, "pipeline", s.Pipeline, "model", s.Model,
						"success_rate", s.SuccessRate, "round_trip_time", s.RoundTripTime, "warm", s.ModelIsWarm, "errors", errorSummary(r.Stats))
					mu.Lock()
					out = append(out, r)
					mu.Unlock()
				}
			}()
		}
	}()
	return func() []Result {
		<-done
		return out
	}
}

// sleep is p.Sleep, or Sleep when unset.
func (p *Prober) sleep(ctx context.Context, d time.Duration) error {
	if p.Sleep == nil {
		return Sleep(ctx, d)
	}
	return p.Sleep(ctx, d)
}
