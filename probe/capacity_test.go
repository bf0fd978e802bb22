package probe_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/probe"
)

// capacityProfile is the one small rendition capacity tests ask for, so
// that real ffmpeg on a loaded machine stays far inside real time and the
// node's own limit, not the CPU, decides.
const capacityProfile = "P144p30fps16x9"

var (
	capSegOnce sync.Once
	capSegs    []*media.Segment
	capSegErr  error
)

// capacitySource hands out a few real segments over and over: a ramp
// sends dozens, and making each anew would cost more CPU than the test.
type capacitySource struct {
	mu   sync.Mutex
	next int
}

func (s *capacitySource) Next(context.Context) (probe.Segment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seg := capSegs[s.next%len(capSegs)]
	s.next++
	return probe.Segment{Data: seg.Data, Duration: seg.Duration, Ref: sharedRef{seg.Fingerprint}}, nil
}

// sharedRef keeps a fingerprint that several streams verify against at
// once out of the ramp's release (it has no Release method).
type sharedRef struct{ fp *media.Fingerprint }

// sharedVerifier verifies against a sharedRef's fingerprint.
type sharedVerifier struct{ v probe.MediaVerifier }

func (v sharedVerifier) Verify(ctx context.Context, seg probe.Segment, rs []probe.Rendition) ([]probe.Verdict, error) {
	seg.Ref = seg.Ref.(sharedRef).fp
	return v.v.Verify(ctx, seg, rs)
}

func capacityTester(t testing.TB) *probe.Tester {
	t.Helper()
	capSegOnce.Do(func() {
		g := &media.Generator{}
		if p, err := media.LookupProfile(capacityProfile); err == nil {
			g.Profiles = []media.Profile{p}
		}
		for nonce := uint32(0x19ca9); nonce < 0x19ca9+3 && capSegErr == nil; nonce++ {
			var seg *media.Segment
			seg, capSegErr = g.Generate(context.Background(), nonce)
			capSegs = append(capSegs, seg)
		}
	})
	if capSegErr != nil {
		t.Fatal(capSegErr)
	}
	return &probe.Tester{
		Region: "FRA", SegDuration: 2 * time.Second, Profiles: []string{capacityProfile},
		Source: &capacitySource{}, Verifier: sharedVerifier{probe.MediaVerifier{Verifier: &media.Verifier{}}},
		Now: time.Now, Sleep: probe.Sleep,
	}
}

// startCapacityNode serves a reference orchestrator of the given capacity
// and fault.
func startCapacityNode(t testing.TB, capacity int, fault string, seed int64) podium.Orchestrator {
	t.Helper()
	f, err := node.ParseFault(fault)
	if err != nil {
		t.Fatal(err)
	}
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(seed))
	uri := startNode(t, &node.Orchestrator{Signer: signer, Capacity: capacity, Fault: f, Seed: seed})
	return podium.Orchestrator{Address: strings.ToLower(signer.Address().Hex()), ServiceURI: uri}
}

// TestCapacityTest_Run ramps real-time streams against reference nodes on
// loopback. The thresholds are generous (late after 3 or 4 segment
// durations, 4 being the segment timeout) so that a loaded machine, where
// a 144p transcode was seen to take 4.6 s, does not make an honest node look
// behind: the nodes' session limits decide. The overclaim fault's
// held-back segments are late by construction: the k-th is held k
// durations.
func TestCapacityTest_Run(t *testing.T) {
	t.Parallel()
	type want struct {
		streams, advertised int
		stoppedBy           string
	}
	for _, tt := range []struct {
		name     string
		capacity int
		fault    string
		ramp     probe.CapacityTest
		want     want
	}{
		{"OKCeiling", 2, "", honest(2), want{2, 2, probe.StoppedCeiling}},
		// Level 4: the two streams held back have their 3rd and 4th
		// segments late (6 s + the transcode, then the 8 s timeout), a
		// quarter of the level; level 3 (bisecting) holds 10 s and more.
		{"ErrBehindOverclaim", 4, "overclaim=2", probe.CapacityTest{Ceiling: 4, Segments: 4, LateAfter: 3, LateShare: 0.2}, want{2, 4, probe.StoppedBehind}},
		{"ErrFailedVerification", 4, node.FaultBlack, honest(4), want{0, 4, probe.StoppedFailed}},
		{"ErrCappedAlways", 4, node.FaultCapped, honest(4), want{0, 0, probe.StoppedCapped}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCapacity(t, startCapacityNode(t, tt.capacity, tt.fault, 1900+int64(tt.capacity)), tt.ramp)
			if got := (want{res.Streams, res.Advertised, res.StoppedBy}); got != tt.want {
				t.Fatalf("measured %+v, want %+v\n%s", got, tt.want, levels(res))
			}
		})
	}
	// Nodes of capacity 1, 2 and 3 are measured exactly (bisecting between
	// 2 and 4 for 3), recorded as capped, and rank in that order.
	measured := make([]probe.CapacityResult, 3)
	t.Run("OKMaxSessions", func(t *testing.T) {
		for i := range measured {
			t.Run(string(rune('1'+i)), func(t *testing.T) {
				t.Parallel()
				measured[i] = runCapacity(t, startCapacityNode(t, i+1, "", 1910+int64(i)), honest(4))
				r := measured[i]
				if r.Streams != i+1 || r.Renditions != i+1 || r.Advertised != i+1 || r.StoppedBy != probe.StoppedCapped {
					t.Fatalf("capacity %d measured %d streams (%d renditions, advertised %d, stopped by %s)\n%s",
						i+1, r.Streams, r.Renditions, r.Advertised, r.StoppedBy, levels(r))
				}
			})
		}
	})
	ranked := slices.Clone(measured)
	slices.SortFunc(ranked, func(a, b probe.CapacityResult) int { return b.Streams - a.Streams })
	for i, r := range ranked {
		if r.Target != measured[len(measured)-1-i].Target {
			t.Fatalf("rank %d is %s with %d streams, want the node of capacity %d", i, r.Target.Address, r.Streams, len(measured)-i)
		}
	}
}

// honest is a ramp up to ceiling whose only late segments are timeouts
// (half of a level's) and whose levels are two segments long.
func honest(ceiling int) probe.CapacityTest {
	return probe.CapacityTest{Ceiling: ceiling, Segments: 2, LateAfter: 4, LateShare: 0.5}
}

// runCapacity runs ramp, bisecting, against o.
func runCapacity(t testing.TB, o podium.Orchestrator, ramp probe.CapacityTest) probe.CapacityResult {
	t.Helper()
	ramp.Tester, ramp.Bisect, ramp.Budget = capacityTester(t), true, 5*time.Minute
	res, err := ramp.Run(context.Background(), direct(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d streams, stopped by %s\n%s", o.Address, res.Streams, res.StoppedBy, levelFigures(res))
	return res
}

// levels is a ramp's figures and log, for failure messages.
func levels(r probe.CapacityResult) string { return levelFigures(r) + r.Log }

// levelFigures is one line per level of a ramp.
func levelFigures(r probe.CapacityResult) string {
	var b strings.Builder
	for _, lv := range r.Levels {
		fmt.Fprintf(&b, "streams=%d segments=%d verified=%d late=%d capped=%d failed=%d rtt_p50=%v rtt_p95=%v verdict=%q\n",
			lv.Streams, lv.Segments, lv.Verified, lv.Late, lv.Capped, lv.Failed,
			lv.RoundTripP50.Round(time.Millisecond), lv.RoundTripP95.Round(time.Millisecond), lv.Verdict)
	}
	return b.String()
}

// productionRamp is CapacityTest's defaults, bisecting.
func productionRamp() probe.CapacityTest { return probe.CapacityTest{} }
