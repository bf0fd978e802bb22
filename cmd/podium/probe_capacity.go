package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
	"github.com/podiumhq/podium/web"
)

// maxCapacityCeiling bounds --capacity-ceiling: a prober sends at most that
// many real-time streams at once.
const maxCapacityCeiling = 64

// capacityFlags are the flags of `podium probe`'s capacity tests.
type capacityFlags struct {
	force    bool
	interval time.Duration
	ceiling  int
	settle   time.Duration
}

func (c *capacityFlags) register(f *pflag.FlagSet) {
	f.BoolVar(&c.force, "capacity", false, "run the capacity test of every orchestrator in this cycle, whatever the schedule says (with --once: one cycle and exit)")
	f.DurationVar(&c.interval, "capacity-interval", probe.DefaultCapacityInterval, "how often each orchestrator gets a capacity test from this region, staggered across regions (0: only with --capacity)")
	f.IntVar(&c.ceiling, "capacity-ceiling", probe.DefaultCapacityCeiling, "the most concurrent real-time streams a capacity test tries")
	f.DurationVar(&c.settle, "capacity-settle", probe.DefaultCapacitySettle, "wait this long after a cycle's tests before its capacity tests, until orchestrators free the tests' sessions")
}

func (c *capacityFlags) validate() error {
	switch {
	case c.interval < 0:
		return podium.FieldError("--capacity-interval", "must be 0 (scheduled capacity tests off) or positive, got %s", c.interval)
	case c.settle < 0:
		return podium.FieldError("--capacity-settle", "must be 0 or positive, got %s", c.settle)
	case c.ceiling < 1 || c.ceiling > maxCapacityCeiling:
		return podium.FieldError("--capacity-ceiling", "must be between 1 and %d streams, got %d", maxCapacityCeiling, c.ceiling)
	}
	return nil
}

// on reports whether this run may run capacity tests at all.
func (c *capacityFlags) on(once bool) bool { return c.force || (!once && c.interval > 0) }

// runner builds the capacity runner of a prober whose ordinary tests use
// tester; regions are the leaderboard's (the schedule's windows). Its
// records go through sender's spool, as stats records do; its progress goes
// to progress.
func (c *capacityFlags) runner(ctx context.Context, client *web.Client, sender *probe.Sender, tester *probe.Tester, region string, now func() time.Time,
	log *slog.Logger, progress io.Writer) (*probe.CapacityRunner, error) {
	ct := *tester
	ramp := &probe.CapacityTest{Tester: &ct, Ceiling: c.ceiling, Bisect: true}
	ramp.OnLevel = func(o podium.Orchestrator, lv probe.CapacityLevel) {
		verdict := lv.Verdict
		if verdict == "" {
			verdict = "sustained"
		}
		fmt.Fprintf(progress, "capacity %s: %d streams: %d/%d verified, %d late, %d capped, %d failed, rtt p95 %s: %s\n",
			o.DisplayName(), lv.Streams, lv.Verified, lv.Segments, lv.Late, lv.Capped, lv.Failed, lv.RoundTripP95.Round(time.Millisecond), verdict)
	}
	r := &probe.CapacityRunner{
		Test: ramp, Force: c.force, Now: now, Logger: log.With("test", "capacity"), Post: func(ctx context.Context, r probe.CapacityResult) error { return sender.SendCapacity(ctx, r.Record()) },
		Settle: c.settle, Sleep: probe.Sleep,
		Schedule: probe.CapacitySchedule{Region: region, Interval: c.interval},
		Progress: func(done, total int, r probe.CapacityResult) {
			fmt.Fprintf(progress, "[capacity %d/%d] %s: %d streams (%d renditions), advertised %s, stopped by %s\n",
				done, total, r.Target.DisplayName(), r.Streams, r.Renditions, advertisedText(r.Advertised), r.StoppedBy)
		},
	}
	if c.interval == 0 {
		return r, nil // forced only: no schedule
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	regions, err := client.Regions(rctx)
	if err != nil {
		// Without the region list this prober cannot know its window;
		// the schedule stays off until a restart can read it.
		log.Warn("leaderboard regions unknown; scheduled capacity tests are off for this run", "err", err)
		return r, nil
	}
	for _, reg := range regions {
		r.Schedule.Regions = append(r.Schedule.Regions, reg.ID)
	}
	// The latest test is the leaderboard's or, later, one still waiting in
	// the spool (the leaderboard was down when it ended).
	r.Latest = func(ctx context.Context, addr string) (time.Time, error) {
		spooled, err := sender.Spool.LatestCapacity(addr, region)
		if err != nil {
			log.Warn("spooled capacity records unreadable", "err", err)
		}
		out, err := client.Capacity(ctx, podium.StatsQuery{Orchestrator: addr, Region: region})
		if err != nil {
			if !spooled.IsZero() {
				return spooled, nil
			}
			return time.Time{}, err
		}
		if out.Latest != nil && time.Unix(out.Latest.Timestamp, 0).After(spooled) {
			return time.Unix(out.Latest.Timestamp, 0), nil
		}
		return spooled, nil
	}
	if err := r.Schedule.Validate(); err != nil {
		return nil, podium.FieldError("--capacity-interval", "%v", err).
			WithHint(fmt.Sprintf("use at least %s for %d regions, or 0 for capacity tests only with --capacity", 2*probe.DefaultCapacityBudget*time.Duration(len(regions)), len(regions)))
	}
	start, end := r.Schedule.Window(now())
	log.Info("capacity schedule", "interval", c.interval, "regions", len(regions), "window_start", start.UTC(), "window_end", end.UTC(), "ceiling", c.ceiling)
	return r, nil
}

func advertisedText(n int) string {
	if n == 0 {
		return "nothing"
	}
	return fmt.Sprint(n)
}

// printCapacity prints one line per capacity test of a cycle.
func printCapacity(w io.Writer, rs []probe.CapacityResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ORCHESTRATOR\tSTREAMS\tRENDITIONS\tADVERTISED\tSTOPPED BY\tLEVELS\tTOOK")
	for _, r := range rs {
		levels := make([]string, len(r.Levels))
		for i, lv := range r.Levels {
			levels[i] = fmt.Sprint(lv.Streams)
			if lv.Verdict != "" {
				levels[i] += "(" + lv.Verdict + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\n", r.Target.DisplayName(), r.Streams, r.Renditions, advertisedText(r.Advertised),
			r.StoppedBy, strings.Join(levels, ","), r.End.Sub(r.Start).Round(time.Second))
	}
	tw.Flush()
}
