package probe_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
)

// capacityRunner is a runner over 3-segment levels of 30 ms segments, a
// ceiling of 4, its clock at *now, and posting into posted.
func capacityRunner(now *time.Time, posted *[]probe.CapacityResult) *probe.CapacityRunner {
	ramp := &probe.CapacityTest{Tester: newTester(30*time.Millisecond, 0), Ceiling: 4, Segments: 3, LateAfter: 3, Bisect: true, Budget: 10 * time.Minute}
	ramp.Tester.Timeout = time.Second
	var mu sync.Mutex
	return &probe.CapacityRunner{
		Test:     ramp,
		Schedule: probe.CapacitySchedule{Regions: []string{"FRA", "MDW", "SIN"}, Region: "FRA", Budget: 10 * time.Minute},
		Now:      func() time.Time { return *now },
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Post: func(_ context.Context, r probe.CapacityResult) error {
			mu.Lock()
			defer mu.Unlock()
			*posted = append(*posted, r)
			return nil
		},
	}
}

func TestCapacityRunner_Schedule(t *testing.T) {
	orchs := []podium.Orchestrator{{Address: addr(0)}, {Address: addr(1)}, {Address: addr(2)}}
	trs := map[string]*slotTransport{addr(0): {slots: 1}, addr(1): {slots: 3}, addr(2): {slots: -1}}
	pick := func(o podium.Orchestrator) (probe.Transport, error) { return trs[o.Address], nil }
	ctx := context.Background()

	day := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	now := day
	var posted []probe.CapacityResult
	r := capacityRunner(&now, &posted)
	// Cycles every 5 minutes through FRA's 8 h window and beyond: each
	// orchestrator is tested once, at its slot.
	tested := map[string]time.Time{}
	for ; now.Before(day.Add(24 * time.Hour)); now = now.Add(5 * time.Minute) {
		res, err := r.Run(ctx, orchs, pick)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res {
			if _, twice := tested[c.Target.Address]; twice {
				t.Fatalf("%s tested twice in a day", c.Target.Address)
			}
			tested[c.Target.Address] = now
			if sl := r.Schedule.SlotAt(c.Target.Address, now); now.Before(sl.Start) || now.After(sl.Last) || now.After(day.Add(8*time.Hour)) {
				t.Fatalf("%s tested at %v outside its slot %+v in FRA's window", c.Target.Address, now, sl)
			}
		}
	}
	if len(tested) != 3 || len(posted) != 3 {
		t.Fatalf("tested %v, posted %d; want each of 3 once", tested, len(posted))
	}
	want := map[string][2]any{addr(0): {1, probe.StoppedCapped}, addr(1): {3, probe.StoppedCapped}, addr(2): {0, probe.StoppedCapped}}
	for _, p := range posted {
		if w := want[p.Target.Address]; p.Streams != w[0] || p.StoppedBy != w[1] {
			t.Errorf("%s: %d streams stopped by %s, want %v", p.Target.Address, p.Streams, p.StoppedBy, w)
		}
	}
}

func TestCapacityRunner_Force(t *testing.T) {
	orchs := []podium.Orchestrator{{Address: addr(0)}, {Address: addr(1)}}
	pick := func(podium.Orchestrator) (probe.Transport, error) { return &slotTransport{slots: 2}, nil }
	// A time outside any slot of FRA (its window is the first 8 h).
	now := time.Date(2026, 3, 9, 20, 0, 0, 0, time.UTC)
	var posted []probe.CapacityResult
	r := capacityRunner(&now, &posted)
	r.Schedule.Regions = nil // forced tests need no schedule
	r.Force = true
	var slept []time.Duration
	r.Settle = time.Minute
	r.Sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	var progress []int
	r.Progress = func(done, total int, _ probe.CapacityResult) { progress = append(progress, done, total) }
	res, err := r.Run(context.Background(), orchs, pick)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Streams != 2 || res[1].Streams != 2 || len(posted) != 2 || !slices.Equal(progress, []int{1, 2, 2, 2}) {
		t.Fatalf("forced run: %d results %+v, posted %d, progress %v", len(res), res, len(posted), progress)
	}
	if !slices.Equal(slept, []time.Duration{time.Minute}) {
		t.Fatalf("slept %v before the capacity tests, want the settle time once", slept)
	}
	// The force is for one cycle; the schedule (none known) runs nothing.
	if res, err := r.Run(context.Background(), orchs, pick); err != nil || len(res) != 0 {
		t.Fatalf("after the forced cycle: %d results, %v", len(res), err)
	}
}

func TestProber_RunsCapacityAfterCycle(t *testing.T) {
	p, _, _, _ := newProber(t, "honest", "honest")
	for name := range p.Transports {
		p.Transports[name] = &slotTransport{} // any number of sessions at once
	}
	now := time.Date(2026, 3, 9, 20, 0, 0, 0, time.UTC)
	var posted []probe.CapacityResult
	p.Capacity = capacityRunner(&now, &posted)
	p.Capacity.Force = true
	c, err := p.RunCycle(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Capacity) != 2 || len(posted) != 2 || c.Recorded != 2 {
		t.Fatalf("cycle recorded %d tests and %d capacity tests (%d posted), want 2 and 2", c.Recorded, len(c.Capacity), len(posted))
	}
	for _, r := range c.Capacity {
		if r.StoppedBy != probe.StoppedCeiling || r.Streams != 4 {
			t.Errorf("%s: %d streams stopped by %s, want the ceiling of 4\n%s", r.Target.Address, r.Streams, r.StoppedBy, r.Log)
		}
	}
}

func TestCapacityRunner_RestartInSlot(t *testing.T) {
	orchs := []podium.Orchestrator{{Address: addr(0)}}
	pick := func(podium.Orchestrator) (probe.Transport, error) { return &slotTransport{slots: 1}, nil }
	day := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		latest time.Duration // after the slot's start; the leaderboard's latest test
		tests  int
	}{
		{"AlreadyTestedInSlot", 10 * time.Second, 0},
		{"TestedYesterday", -24 * time.Hour, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var posted []probe.CapacityResult
			var now time.Time
			r := capacityRunner(&now, &posted)
			sl := r.Schedule.SlotAt(addr(0), day)
			now = sl.Start.Add(time.Minute)
			r.Latest = func(context.Context, string) (time.Time, error) { return sl.Start.Add(tc.latest), nil }
			res, err := r.Run(context.Background(), orchs, pick)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != tc.tests {
				t.Fatalf("%d tests, want %d", len(res), tc.tests)
			}
			// Either way the slot is done for this prober.
			if res, _ := r.Run(context.Background(), orchs, pick); len(res) != 0 {
				t.Fatal("tested twice in one slot")
			}
		})
	}
}
