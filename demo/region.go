package demo

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/probe"
)

// regionProber tests every orchestrator from one region in passes, at most
// concurrency tests at once and one test per orchestrator at a time.
type regionProber struct {
	region      string
	registry    podium.Registry
	tester      *probe.Tester
	transport   probe.Transport
	sender      *probe.Sender
	concurrency int
	// index of regions: each region starts its passes at another point of
	// the registry, so early in the round every orchestrator has been tested
	// from somewhere.
	index, regions int
	log            *slog.Logger
	// cost receives what each test paid.
	cost func(region string, c lpnet.Cost)

	mu      sync.Mutex
	longest time.Duration // the longest test so far
}

// run runs passes until end. A test starts only if a test as long as the
// longest so far would end before end: its record must reach the
// leaderboard before the snapshot.
func (p *regionProber) run(ctx context.Context, end time.Time, pause time.Duration, now func() time.Time) {
	p.longest = time.Duration(p.tester.Segments)*p.tester.SegDuration + 2*time.Second
	for pass := 1; ctx.Err() == nil && p.fits(now(), end); pass++ {
		orchs, err := p.registry.Orchestrators(ctx)
		if err != nil {
			p.log.Warn("registry", "err", err)
		}
		orchs = rotate(orchs, pass-1+p.index*len(orchs)/p.regions)
		sem := make(chan struct{}, p.concurrency)
		var wg sync.WaitGroup
		for _, o := range orchs {
			sem <- struct{}{}
			if ctx.Err() != nil || !p.fits(now(), end) {
				<-sem
				break
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				p.test(ctx, o, now)
			}()
		}
		wg.Wait()
		p.log.Info("pass done", "pass", pass)
		if probe.Sleep(ctx, pause) != nil {
			return
		}
	}
}

// fits reports whether a test started at t would end before end.
func (p *regionProber) fits(t, end time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return t.Add(p.longest).Before(end)
}

// test tests o and posts its record, unless the prober's own parts failed.
func (p *regionProber) test(ctx context.Context, o podium.Orchestrator, now func() time.Time) {
	t0 := now()
	r, err := p.tester.Test(ctx, p.transport, o)
	if err != nil {
		return // ctx ended
	}
	p.mu.Lock()
	p.longest = max(p.longest, now().Sub(t0))
	p.mu.Unlock()
	if p.cost != nil {
		p.cost(p.region, r.Cost)
	}
	p.log.Info("tested", "orchestrator", o.Address, "success_rate", r.Stats.SuccessRate, "round_trip_time", r.Stats.RoundTripTime,
		"errors", len(r.Stats.Errors))
	if probe.Withhold(r, false) {
		p.log.Warn("withheld: the prober's own parts failed", "test_id", r.Stats.TestID, "log", r.Log)
		return
	}
	if err := p.sender.Send(ctx, r.Stats); err != nil {
		p.log.Warn("spool", "err", err)
	}
}

// rotate returns os started at its k-th element (mod its length).
func rotate(os []podium.Orchestrator, k int) []podium.Orchestrator {
	if len(os) == 0 {
		return os
	}
	k %= len(os)
	return append(append([]podium.Orchestrator{}, os[k:]...), os[:k]...)
}
