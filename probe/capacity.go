package probe

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/podiumhq/podium"
)

// Reasons a capacity ramp stopped (CapacityResult.StoppedBy).
const (
	// StoppedCapped: the orchestrator refused a stream of the next level
	// (OrchestratorCapped or OrchestratorBusy). It is at capacity, not
	// failing.
	StoppedCapped = podium.CapacityStoppedCapped
	// StoppedBehind: more than LateShare of the next level's segments came
	// back later than real time allows.
	StoppedBehind = podium.CapacityStoppedBehind
	// StoppedFailed: a segment of the next level failed otherwise (a
	// rendition rejected or missing, a transcode error).
	StoppedFailed = podium.CapacityStoppedFailed
	// StoppedCeiling: every level up to Ceiling was sustained.
	StoppedCeiling = podium.CapacityStoppedCeiling
	// StoppedBudget: the next level would not have ended within Budget.
	StoppedBudget = podium.CapacityStoppedBudget
)

// Defaults of CapacityTest.
const (
	// DefaultCapacityCeiling bounds a ramp at 8 streams: with the stock
	// ladder of 3 renditions, 24 real-time renditions.
	DefaultCapacityCeiling = 8
	// DefaultCapacitySegments is 5 segments per stream and level, 10 s of
	// 2 s segments: enough to see a queue grow.
	DefaultCapacitySegments = 5
	// DefaultLateShare: a level whose segments are more than 20 % late is
	// behind real time.
	DefaultLateShare = 0.2
	// DefaultCapacityBudget bounds a whole ramp.
	DefaultCapacityBudget = 10 * time.Minute
)

// CapacityTest measures how many concurrent real-time streams one
// orchestrator carries: it ramps streams through levels 1, 2, 4, … up to
// Ceiling, each stream sending Segments segments paced in real time, each
// segment verified as Tester verifies a test's, and stops at the first
// level the orchestrator refuses, falls behind at or fails. With Bisect it
// then narrows down between the last level sustained and the first that
// was not.
//
// A stream is one session (Transport.Open) kept from level to level, as a
// real stream keeps its orchestrator: levels add streams and an
// orchestrator's slots are not spent again on streams it already carries.
// Streams it refused are dropped.
type CapacityTest struct {
	// Tester gives the segments, the verifier, the ladder, the region,
	// the segment timeout and the clock.
	Tester *Tester
	// Ceiling is the most streams tried; DefaultCapacityCeiling when 0.
	Ceiling int
	// Segments per stream and level; DefaultCapacitySegments when 0.
	Segments int
	// LateAfter is how many segment durations a round trip may take
	// before the segment is late; 1 (real time) when 0. A timed-out
	// segment is late.
	LateAfter float64
	// LateShare is the share of late segments above which a level is
	// behind; DefaultLateShare when 0.
	LateShare float64
	// Bisect narrows down between the last level sustained and the first
	// that was not, to the exact number of streams.
	Bisect bool
	// Budget bounds the ramp's time: a level that would end after it is
	// not started. DefaultCapacityBudget when 0.
	Budget time.Duration
	// OnLevel, when set, is called as each level ends (progress of a
	// ramp that takes minutes).
	OnLevel func(o podium.Orchestrator, lv CapacityLevel)
}

// CapacityResult is one capacity test of one orchestrator.
type CapacityResult struct {
	ID     string
	Region string
	Target podium.Orchestrator
	Start  time.Time
	End    time.Time
	// Streams is the highest level sustained; Renditions is Streams ×
	// the ladder's renditions.
	Streams    int
	Renditions int
	// Profiles is the ladder's renditions a stream; Ceiling the most
	// streams the ramp would have tried.
	Profiles, Ceiling int
	// Advertised is the number of sessions the orchestrator advertises
	// (go-livepeer: Capabilities.capacities); 0 when it says nothing or
	// the transport cannot tell.
	Advertised int
	// StoppedBy is why the ramp stopped: StoppedCapped, StoppedBehind,
	// StoppedFailed, StoppedCeiling or StoppedBudget.
	StoppedBy string
	// Levels are every level run, in the order run.
	Levels []CapacityLevel
	Log    string
}

// CapacityLevel is the figures of one level of a ramp.
type CapacityLevel struct {
	Streams int
	// Segments were planned (Streams × CapacityTest.Segments); Verified
	// came back with every rendition verified; Late came back late or
	// timed out; Capped were refused for capacity (a stream refused at
	// open counts all its segments); Failed failed otherwise.
	Segments, Verified, Late, Capped, Failed int
	// LateShare is Late / Segments.
	LateShare float64
	// RoundTripP50 and RoundTripP95 are over the segments that came back.
	RoundTripP50, RoundTripP95 time.Duration
	// Errors counts the level's failed segments by code.
	Errors map[string]int
	// Verdict is "" for a level sustained, else the reason it was not
	// (StoppedCapped, StoppedBehind or StoppedFailed).
	Verdict string
}

// Run measures o over tr. The orchestrator's failures are the result; the
// error is for a ramp that could not run (ctx done, the prober's own
// segment source or verifier failing).
func (c *CapacityTest) Run(ctx context.Context, tr Transport, o podium.Orchestrator) (CapacityResult, error) {
	var logbuf syncBuffer
	log := slog.New(slog.NewTextHandler(&logbuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t := c.Tester
	start := t.Now()
	res := CapacityResult{ID: "capacity-" + t.testID(o, start), Region: t.Region, Target: o, Start: start,
		Profiles: len(t.Profiles), Ceiling: c.ceiling()}
	log.Info("capacity test start", "test_id", res.ID, "orchestrator", strings.ToLower(o.Address), "ceiling", c.ceiling(), "segments", c.segments())
	r := &ramp{c: c, tr: tr, o: o, log: log, id: res.ID}
	defer r.close()
	deadline := start.Add(c.budget())

	good, bad := 0, 0 // the highest level sustained, the lowest not (0: none yet)
	run := func(n int) (bool, error) {
		if t.Now().Add(c.levelTime(n)).After(deadline) {
			res.StoppedBy = StoppedBudget
			log.Info("capacity budget spent", "streams", n)
			return false, nil
		}
		lv, err := r.level(ctx, n)
		if err != nil {
			return false, err
		}
		res.Levels = append(res.Levels, lv)
		if c.OnLevel != nil {
			c.OnLevel(o, lv)
		}
		if lv.Verdict == "" {
			good = max(good, n)
			return true, nil
		}
		bad, res.StoppedBy = n, lv.Verdict
		return false, nil
	}
	for n := 1; ; n = min(2*n, c.ceiling()) {
		ok, err := run(n)
		if err != nil {
			return CapacityResult{}, err
		}
		if !ok {
			break
		}
		if n == c.ceiling() {
			res.StoppedBy = StoppedCeiling
			break
		}
	}
	for c.Bisect && bad > 0 && bad-good > 1 {
		ok, err := run((good + bad) / 2)
		if err != nil {
			return CapacityResult{}, err
		}
		if !ok && res.StoppedBy == StoppedBudget {
			break
		}
	}
	res.Streams = good
	res.Renditions = good * len(t.Profiles)
	res.Advertised = r.advertised
	res.End = t.Now()
	log.Info("capacity test done", "streams", res.Streams, "renditions", res.Renditions, "advertised", res.Advertised, "stopped_by", res.StoppedBy)
	res.Log = logbuf.String()
	return res, nil
}

// levelTime is how long a level of n streams may take: its segments in
// real time, the last stream's start offset, and the last segment's
// timeout.
func (c *CapacityTest) levelTime(n int) time.Duration {
	d := c.Tester.SegDuration
	if d <= 0 {
		d = 2 * time.Second
	}
	return time.Duration(c.segments())*d + d*time.Duration(n-1)/time.Duration(n) + c.Tester.timeout(d)
}

func (c *CapacityTest) ceiling() int {
	if c.Ceiling > 0 {
		return c.Ceiling
	}
	return DefaultCapacityCeiling
}

func (c *CapacityTest) segments() int {
	if c.Segments > 0 {
		return c.Segments
	}
	return DefaultCapacitySegments
}

func (c *CapacityTest) lateAfter() float64 {
	if c.LateAfter > 0 {
		return c.LateAfter
	}
	return 1
}

func (c *CapacityTest) lateShare() float64 {
	if c.LateShare > 0 {
		return c.LateShare
	}
	return DefaultLateShare
}

func (c *CapacityTest) budget() time.Duration {
	if c.Budget > 0 {
		return c.Budget
	}
	return DefaultCapacityBudget
}

// Advertiser is a Session that knows the capacity its orchestrator
// advertises (the direct transport).
type Advertiser interface {
	Advertised() int
}
