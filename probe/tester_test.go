package probe_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
)

// The parts below exercise the tester's and the prober's own logic (pacing,
// timeouts, counting, scheduling, withholding). The acceptance test runs the
// same code against real reference nodes, real verification and the real
// leaderboard.

// counterSource hands out unique segments: "seg-<n>".
type counterSource struct {
	n   atomic.Int64
	dur time.Duration
}

func (s *counterSource) Next(context.Context) (probe.Segment, error) {
	n := s.n.Add(1)
	data := []byte(fmt.Sprintf("seg-%d", n))
	return probe.Segment{Data: data, Duration: s.dur, Ref: data}, nil
}

// prefixVerifier accepts a rendition that is "<profile>:" + the segment.
type prefixVerifier struct{}

func (prefixVerifier) Verify(_ context.Context, seg probe.Segment, rs []probe.Rendition) ([]probe.Verdict, error) {
	vs := make([]probe.Verdict, len(rs))
	for i, r := range rs {
		if bytes.Equal(r.Data, append([]byte(r.Profile+":"), seg.Ref.([]byte)...)) {
			vs[i] = probe.Verdict{OK: true}
		} else {
			vs[i] = probe.Verdict{Reason: "content", Detail: "not the source"}
		}
	}
	return vs, nil
}

// modeTransport behaves like an orchestrator in one mode.
type modeTransport struct {
	mode  string // honest, stale, capped, slow, down, overcap
	delay time.Duration

	mu    sync.Mutex
	sent  []time.Time
	prev  []byte
	inUse map[string]bool
	most  int
	cur   int
}

func (m *modeTransport) Open(_ context.Context, o podium.Orchestrator, _ probe.SessionOptions) (probe.Session, error) {
	switch m.mode {
	case "down":
		return nil, probe.Errorc(probe.CodeUnreachable, errors.New("connection refused"))
	case "overcap":
		return nil, probe.Errorc(probe.CodePriceOverCap, errors.New("price 5000 wei per pixel is over the cap of 1200"))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.inUse == nil {
		m.inUse = map[string]bool{}
	}
	if m.inUse[o.Address] {
		return nil, errors.New("two tests of one orchestrator at once")
	}
	m.inUse[o.Address] = true
	m.cur++
	m.most = max(m.most, m.cur)
	return &modeSession{m: m, addr: o.Address}, nil
}

type modeSession struct {
	m    *modeTransport
	addr string
}

func (s *modeSession) Close() error {
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	delete(s.m.inUse, s.addr)
	s.m.cur--
	return nil
}

func (s *modeSession) Send(ctx context.Context, seg probe.Segment) (probe.Reply, error) {
	m := s.m
	m.mu.Lock()
	m.sent = append(m.sent, time.Now())
	prev := m.prev
	m.prev = seg.Data
	m.mu.Unlock()
	if err := probe.Sleep(ctx, m.delay); err != nil {
		return probe.Reply{}, err
	}
	switch m.mode {
	case "capped":
		return probe.Reply{}, errors.New("OrchestratorCapped")
	case "slow":
		<-ctx.Done()
		return probe.Reply{}, ctx.Err()
	}
	body := seg.Data
	if m.mode == "stale" && prev != nil {
		body = prev
	}
	var r probe.Reply
	for _, p := range []string{"P240p30fps16x9", "P360p30fps16x9"} {
		r.Renditions = append(r.Renditions, probe.Rendition{Profile: p, Data: append([]byte(p+":"), body...)})
	}
	r.Upload, r.Transcode, r.Download = m.delay/4, m.delay/2, m.delay/4
	return r, nil
}

func newTester(dur time.Duration, segments int) *probe.Tester {
	return &probe.Tester{
		Region: "FRA", Segments: segments, SegDuration: dur,
		Profiles: []string{"P240p30fps16x9", "P360p30fps16x9"},
		Source:   &counterSource{dur: dur}, Verifier: prefixVerifier{},
		Timeout: 150 * time.Millisecond,
		Now:     time.Now, Sleep: probe.Sleep,
	}
}

var orch = podium.Orchestrator{Address: "0x1111111111111111111111111111111111111111", ServiceURI: "https://127.0.0.1:1"}

func TestTester_Test(t *testing.T) {
	const dur = 40 * time.Millisecond
	t.Run("OK", func(t *testing.T) {
		tr := &modeTransport{mode: "honest", delay: 10 * time.Millisecond}
		start := time.Now()
		res, err := newTester(dur, 3).Test(context.Background(), tr, orch)
		if err != nil {
			t.Fatal(err)
		}
		s := res.Stats
		if s.SuccessRate != 1 || s.SegmentsSent != 3 || s.SegmentsReceived != 6 || s.VerifiedRenditions != 6 || len(s.Errors) != 0 {
			t.Fatalf("stats = %+v", s)
		}
		if s.RoundTripTime < 0.010 || s.SegDuration != dur.Seconds() || s.Timestamp != start.Unix() {
			t.Errorf("rtt %v seg %v ts %v", s.RoundTripTime, s.SegDuration, s.Timestamp)
		}
		// Paced in real time: segment i leaves no earlier than start + i × dur.
		for i, at := range tr.sent {
			if early := start.Add(time.Duration(i) * dur).Sub(at); early > 2*time.Millisecond {
				t.Errorf("segment %d sent %v early", i, early)
			}
		}
		if !bytes.Contains([]byte(res.Log), []byte("test done")) {
			t.Errorf("the test's log is kept with it; got %q", res.Log)
		}
	})
	for _, tc := range []struct {
		mode     string
		success  float64
		code     string
		count    int
		failures int
	}{
		{"stale", 1.0 / 3, probe.CodeVerificationFailed, 4, 4},
		{"capped", 0, probe.CodeOrchestratorCapped, 3, 0},
		{"slow", 0, probe.CodeTimeout, 3, 0},
		{"down", 0, probe.CodeUnreachable, 3, 0},
	} {
		t.Run("Err"+tc.mode, func(t *testing.T) {
			res, err := newTester(dur, 3).Test(context.Background(), &modeTransport{mode: tc.mode, delay: 5 * time.Millisecond}, orch)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Stats
			if s.SuccessRate != tc.success || s.VerificationFailures != tc.failures {
				t.Errorf("success %v failures %d, want %v %d", s.SuccessRate, s.VerificationFailures, tc.success, tc.failures)
			}
			if len(s.Errors) != 1 || s.Errors[0].ErrorCode != tc.code || s.Errors[0].Count != tc.count {
				t.Errorf("errors = %+v, want %s×%d", s.Errors, tc.code, tc.count)
			}
			if s.SegDuration != dur.Seconds() {
				t.Errorf("seg_duration = %v, want %v even when nothing got through", s.SegDuration, dur.Seconds())
			}
			if tc.success == 0 && s.RoundTripTime != 0 {
				t.Errorf("rtt = %v, want 0 when no segment succeeded", s.RoundTripTime)
			}
		})
	}
	t.Run("ErrCancelled", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if _, err := newTester(dur, 5).Test(ctx, &modeTransport{mode: "honest"}, orch); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the context's", err)
		}
	})
	t.Run("OKUniqueIDs", func(t *testing.T) {
		tt := newTester(dur, 1)
		a, _ := tt.Test(context.Background(), &modeTransport{mode: "honest"}, orch)
		b, _ := tt.Test(context.Background(), &modeTransport{mode: "honest"}, orch)
		if a.Stats.TestID == b.Stats.TestID {
			t.Fatalf("two tests share test_id %s", a.Stats.TestID)
		}
	})
}
