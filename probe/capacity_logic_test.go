package probe_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
)

// slotTransport is an orchestrator for the ramp's own logic: it opens at
// most slots sessions (0: any number, -1: none), answers the first realtime of them
// at once and the others after lag, and with bad sends renditions that do
// not verify.
type slotTransport struct {
	slots, realtime int
	lag             time.Duration
	bad             bool

	mu     sync.Mutex
	opened int
}

func (s *slotTransport) Open(context.Context, podium.Orchestrator, probe.SessionOptions) (probe.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.slots != 0 && s.opened >= s.slots {
		return nil, errors.New("Invalid orchestrator request: OrchestratorCapped")
	}
	s.opened++
	return &slotSession{t: s, late: s.realtime > 0 && s.opened > s.realtime}, nil
}

type slotSession struct {
	t    *slotTransport
	late bool
}

func (s *slotSession) Close() error { return nil }

func (s *slotSession) Send(ctx context.Context, seg probe.Segment) (probe.Reply, error) {
	if s.late {
		if err := probe.Sleep(ctx, s.t.lag); err != nil {
			return probe.Reply{}, err
		}
	}
	var r probe.Reply
	for _, p := range []string{"P240p30fps16x9", "P360p30fps16x9"} {
		body := append([]byte(p+":"), seg.Data...)
		if s.t.bad {
			body = []byte("black")
		}
		r.Renditions = append(r.Renditions, probe.Rendition{Profile: p, Data: body})
	}
	return r, nil
}

// TestCapacityTest_Ramp checks the ramp's levels, bisection, stop reasons
// and bounds against a fake orchestrator: 50 ms segments, late sessions
// answering after 250 ms, late meaning over 2.5 segment durations.
func TestCapacityTest_Ramp(t *testing.T) {
	t.Parallel()
	const dur = 50 * time.Millisecond
	for _, tt := range []struct {
		name      string
		tr        *slotTransport
		ramp      probe.CapacityTest
		streams   int
		stoppedBy string
		levels    []int
	}{
		{"OKBisectToFive", &slotTransport{slots: 5}, probe.CapacityTest{Bisect: true}, 5, probe.StoppedCapped, []int{1, 2, 4, 8, 6, 5}},
		{"OKNoBisect", &slotTransport{slots: 5}, probe.CapacityTest{}, 4, probe.StoppedCapped, []int{1, 2, 4, 8}},
		{"OKCeiling", &slotTransport{}, probe.CapacityTest{Ceiling: 6, Bisect: true}, 6, probe.StoppedCeiling, []int{1, 2, 4, 6}},
		{"ErrBehind", &slotTransport{realtime: 3, lag: 5 * dur}, probe.CapacityTest{Bisect: true}, 3, probe.StoppedBehind, []int{1, 2, 4, 3}},
		{"ErrFailed", &slotTransport{bad: true}, probe.CapacityTest{Bisect: true}, 0, probe.StoppedFailed, []int{1}},
		{"ErrCappedAtOnce", &slotTransport{slots: -1}, probe.CapacityTest{Bisect: true}, 0, probe.StoppedCapped, []int{1}},
		{"ErrBudget", &slotTransport{}, probe.CapacityTest{Budget: time.Nanosecond}, 0, probe.StoppedBudget, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.ramp.Tester = newTester(dur, 0)
			tt.ramp.Tester.Timeout = time.Second
			tt.ramp.Segments, tt.ramp.LateAfter = 3, 2.5
			res, err := tt.ramp.Run(context.Background(), tt.tr, orch)
			if err != nil {
				t.Fatal(err)
			}
			var levels []int
			for _, lv := range res.Levels {
				levels = append(levels, lv.Streams)
			}
			if res.Streams != tt.streams || res.StoppedBy != tt.stoppedBy || !slices.Equal(levels, tt.levels) {
				t.Fatalf("measured %d streams, stopped by %s, levels %v; want %d, %s, %v\n%s",
					res.Streams, res.StoppedBy, levels, tt.streams, tt.stoppedBy, tt.levels, res.Log)
			}
			rec := res.Record()
			if err := rec.Normalize(podium.NewRegionSet(podium.DefaultRegions()), res.End); err != nil {
				t.Fatalf("the record of the ramp does not normalize: %v\n%+v", err, rec)
			}
			if res.Renditions != 2*res.Streams {
				t.Fatalf("renditions %d for %d streams of 2 profiles", res.Renditions, res.Streams)
			}
		})
	}
	t.Run("OKSourceSlowerThanRealTime", func(t *testing.T) {
		// A level's segments are made before it starts: a source slower
		// than real time delays the level, it does not slow its pace.
		t.Parallel()
		ramp := probe.CapacityTest{Tester: newTester(dur, 0), Segments: 3, LateAfter: 2.5, Ceiling: 4}
		ramp.Tester.Timeout = time.Second
		ramp.Tester.Source = slowSource{&counterSource{dur: dur}}
		res, err := ramp.Run(context.Background(), &slotTransport{slots: 2}, orch)
		if err != nil || res.Streams != 2 || res.StoppedBy != probe.StoppedCapped {
			t.Fatalf("measured %d streams stopped by %s, %v; want 2, capped\n%s", res.Streams, res.StoppedBy, err, res.Log)
		}
	})
	t.Run("ErrSource", func(t *testing.T) {
		t.Parallel()
		ramp := probe.CapacityTest{Tester: newTester(dur, 0), Segments: 3}
		ramp.Tester.Source = failingSource{}
		if _, err := ramp.Run(context.Background(), &slotTransport{}, orch); err == nil || !strings.Contains(err.Error(), "SegmentSource") {
			t.Fatalf("a failing source gave %v, want the prober's error", err)
		}
	})
	t.Run("ErrVerifier", func(t *testing.T) {
		t.Parallel()
		ramp := probe.CapacityTest{Tester: newTester(dur, 0), Segments: 1}
		ramp.Tester.Verifier = brokenVerifier{}
		if _, err := ramp.Run(context.Background(), &slotTransport{}, orch); err == nil {
			t.Fatal("the prober's own verifier failing gave a result")
		}
	})
}

// failingSource cannot make segments.
type failingSource struct{}

func (failingSource) Next(context.Context) (probe.Segment, error) {
	return probe.Segment{}, errors.New("ffmpeg: not found")
}

// slowSource takes two segment durations to make each segment.
type slowSource struct{ s *counterSource }

func (s slowSource) Next(ctx context.Context) (probe.Segment, error) {
	if err := probe.Sleep(ctx, 2*s.s.dur); err != nil {
		return probe.Segment{}, err
	}
	return s.s.Next(ctx)
}
