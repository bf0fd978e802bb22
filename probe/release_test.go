package probe_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium/probe"
)

// releasingRef is a segment's Ref that, like a media.Fingerprint, keeps
// memory until Release.
type releasingRef struct {
	data     []byte
	mu       sync.Mutex
	released int
}

func (r *releasingRef) Release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.released++
}

// releasingSource hands out segments with releasingRefs and remembers them.
type releasingSource struct {
	dur  time.Duration
	mu   sync.Mutex
	refs []*releasingRef
}

func (s *releasingSource) Next(context.Context) (probe.Segment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := &releasingRef{data: []byte(fmt.Sprintf("seg-%d", len(s.refs)))}
	s.refs = append(s.refs, ref)
	return probe.Segment{Data: ref.data, Duration: s.dur, Ref: ref}, nil
}

// releaseCheckingVerifier accepts "<profile>:" + the segment, and refuses
// to judge a segment whose Ref was already released.
type releaseCheckingVerifier struct{}

func (releaseCheckingVerifier) Verify(_ context.Context, seg probe.Segment, rs []probe.Rendition) ([]probe.Verdict, error) {
	ref := seg.Ref.(*releasingRef)
	ref.mu.Lock()
	defer ref.mu.Unlock()
	if ref.released > 0 {
		return nil, fmt.Errorf("segment %s verified after its Release", ref.data)
	}
	vs := make([]probe.Verdict, len(rs))
	for i, r := range rs {
		vs[i] = probe.Verdict{OK: bytes.Equal(r.Data, append([]byte(r.Profile+":"), ref.data...)), Reason: "content"}
	}
	return vs, nil
}

// TestTester_ReleasesSegments: a test releases each of its segments once,
// after verifying it.
func TestTester_ReleasesSegments(t *testing.T) {
	const dur = 40 * time.Millisecond
	src := &releasingSource{dur: dur}
	tester := newTester(dur, 3)
	tester.Source, tester.Verifier = src, releaseCheckingVerifier{}
	res, err := tester.Test(context.Background(), &modeTransport{mode: "honest", delay: 10 * time.Millisecond}, orch)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.VerifiedRenditions != 6 {
		t.Fatalf("stats = %+v", res.Stats)
	}
	if len(src.refs) != 3 {
		t.Fatalf("%d segments taken, want 3", len(src.refs))
	}
	for _, r := range src.refs {
		if r.released != 1 {
			t.Errorf("segment %s released %d times, want once", r.data, r.released)
		}
	}
}
