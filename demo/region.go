package demo

import (
	"context"
	"github.com/podiumhq/podium/probe"
	"log/slog"
	"time"
)

// settleMargin is how long before the round's end the probers stop
// testing, so that every finished test is posted before the snapshot.
const settleMargin = 3 * time.Second

// regionProber runs the real prober of one region, probe.Prober, cycle
// after cycle until the round's end: every orchestrator once a cycle, in a
// seeded order of the region's own, results held in the spool until the
// cycle is settled, then posted.
type regionProber struct {
	region string
	prober *probe.Prober
	// test is how long one test lasts at least: no cycle starts without
	// the time for one.
	test time.Duration
	log  *slog.Logger
}

// run runs cycles until settleMargin before end. The cycle the end cuts
// short is settled as a stopped prober's is on its restart (Recover): its
// finished tests are posted, the unfinished ones dropped, so that no
// record reaches the leaderboard after the snapshot.
func (p *regionProber) run(ctx context.Context, end time.Time, pause time.Duration, now func() time.Time) {
	stop := end.Add(-settleMargin)
	cctx, cancel := context.WithTimeout(ctx, stop.Sub(now()))
	defer cancel()
	for seq := 1; cctx.Err() == nil && now().Add(p.test).Before(stop); seq++ {
		_, err := p.prober.RunCycle(cctx, seq)
		switch {
		case ctx.Err() != nil:
			return
		case cctx.Err() != nil:
			p.log.Info("the round's end cut the cycle short", "cycle", seq)
		case err != nil:
			p.log.Warn("cycle", "cycle", seq, "err", err)
		}
		if probe.Sleep(cctx, pause) != nil {
			break
		}
	}
	if _, err := p.prober.Recover(ctx); err != nil {
		p.log.Warn("settle the last cycle's finished tests", "err", err)
	}
}
