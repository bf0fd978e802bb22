package probe

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium"
)

// DefaultCapacitySettle is the wait between a cycle's ordinary tests and
// its capacity tests: go-livepeer's 70 s idle transcode loop timeout, and
// a margin.
const DefaultCapacitySettle = 75 * time.Second

// CapacityRunner runs the capacity tests of a prober's cycles: after a
// cycle's ordinary tests, the orchestrators whose slot is due
// (CapacitySchedule), one at a time, so this prober never sends more than
// CapacityTest.Ceiling streams at once and never tests one orchestrator
// twice at once.
type CapacityRunner struct {
	Test     *CapacityTest
	Schedule CapacitySchedule
	// Force runs every orchestrator's test in the next cycle whatever the
	// schedule says (podium probe --capacity); the cycle clears it.
	Force bool
	// Post hands on a finished test's result: podium probe spools it and
	// posts it (Sender.SendCapacity), so it survives a kill or an outage.
	// Its error (the record could not even be spooled) is logged, and
	// the test counts as done.
	Post func(ctx context.Context, r CapacityResult) error
	// Settle is how long to wait after the cycle's ordinary tests before
	// the first capacity test, so that orchestrators have freed the
	// sessions of those tests: a slot still held by the prober's own
	// stream would be measured as missing. go-livepeer ends an idle
	// transcode loop after 70 s; the reference node frees a slot after
	// a minute (node.Orchestrator.SessionIdle). DefaultCapacitySettle
	// is the command's default; 0 waits not at all.
	Settle time.Duration
	Sleep  func(ctx context.Context, d time.Duration) error
	Now    func() time.Time
	Logger *slog.Logger
	// Progress, when set, is called as each test ends.
	Progress func(done, total int, r CapacityResult)
	// Latest, when set, says when this region's latest capacity test of
	// an orchestrator started, as the leaderboard has it (zero: none). A
	// scheduled test is skipped when one already ran in its slot, so a
	// prober restarted inside its window does not test again. An error
	// is logged and the test runs.
	Latest func(ctx context.Context, addr string) (time.Time, error)

	mu   sync.Mutex
	last map[string]time.Time // orchestrator (lowercase) → start of its last test
}

// Run tests the orchestrators of orchs that are due, over the transport
// transport picks for each, and returns their results in orchs' order. A
// ramp the prober itself could not run (its segment source, its verifier)
// is logged and left due, to be tried again next cycle; only ctx ending
// stops the run.
func (c *CapacityRunner) Run(ctx context.Context, orchs []podium.Orchestrator, transport func(podium.Orchestrator) (Transport, error)) ([]CapacityResult, error) {
	c.mu.Lock()
	force := c.Force
	c.Force = false
	if c.last == nil {
		c.last = map[string]time.Time{}
	}
	c.mu.Unlock()

	now := c.Now()
	var due []podium.Orchestrator
	if !force {
		if err := c.Schedule.Validate(); err != nil {
			c.Logger.Warn("capacity tests skipped", "err", err)
			return nil, nil
		}
	}
	for _, o := range orchs {
		if force {
			due = append(due, o)
			continue
		}
		if !c.Schedule.Due(o.Address, c.lastOf(o.Address), now) {
			continue
		}
		if c.Latest != nil {
			t, err := c.Latest(ctx, o.Address)
			if err != nil {
				c.Logger.Warn("latest capacity test unknown; testing", "orchestrator", strings.ToLower(o.Address), "err", err)
			} else if !c.Schedule.Due(o.Address, t, now) {
				c.setLast(o.Address, t)
				c.Logger.Info("capacity test already done in this slot", "orchestrator", strings.ToLower(o.Address), "at", t)
				continue
			}
		}
		due = append(due, o)
	}
	if len(due) == 0 {
		return nil, nil
	}
	c.Logger.Info("capacity tests start", "orchestrators", len(due), "forced", force, "ceiling", c.Test.ceiling(), "budget", c.Test.budget(), "settle", c.Settle)
	if c.Settle > 0 {
		if err := c.Sleep(ctx, c.Settle); err != nil {
			return nil, err
		}
	}
	var out []CapacityResult
	for _, o := range due {
		tr, err := transport(o)
		if err != nil {
			return out, err
		}
		start := c.Now()
		r, err := c.Test.Run(ctx, tr, o)
		if err != nil {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			c.Logger.Error("capacity test could not run; it is due again next cycle", "orchestrator", strings.ToLower(o.Address), "err", err)
			continue
		}
		c.setLast(o.Address, start)
		out = append(out, r)
		c.Logger.Info("capacity tested", "orchestrator", strings.ToLower(o.Address), "test_id", r.ID, "streams", r.Streams,
			"renditions", r.Renditions, "advertised", r.Advertised, "stopped_by", r.StoppedBy, "took", r.End.Sub(r.Start).Round(time.Second))
		if c.Post != nil {
			if err := c.Post(ctx, r); err != nil {
				c.Logger.Error("post capacity", "test_id", r.ID, "err", err)
			}
		}
		if c.Progress != nil {
			c.Progress(len(out), len(due), r)
		}
	}
	return out, nil
}

func (c *CapacityRunner) lastOf(addr string) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last[strings.ToLower(addr)]
}

func (c *CapacityRunner) setLast(addr string, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last[strings.ToLower(addr)] = t
}
