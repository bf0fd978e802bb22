package probe_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/probe"
)

// batchProfiles are the prober's default renditions.
var batchProfiles = []string{media.P360p30fps16x9.Name, media.P240p30fps16x9.Name}

// batchTest is one orchestrator's test as the verifier sees it: a segment
// of its own and the renditions the orchestrator sent back.
type batchTest struct {
	seg probe.Segment
	rs  []probe.Rendition
}

// makeBatchTests makes n tests: each a fresh podium segment (nonce base+i)
// transcoded by the reference node, in look(i).
func makeBatchTests(t testing.TB, base uint32, profiles []string, n int, look func(i int) node.Look) []batchTest {
	t.Helper()
	mps, err := media.LookupProfiles(profiles)
	if err != nil {
		t.Fatal(err)
	}
	lps, err := lpnet.LookupProfiles(profiles)
	if err != nil {
		t.Fatal(err)
	}
	g := &media.Generator{Profiles: mps}
	ff := &node.FFmpeg{}
	tests := make([]batchTest, n)
	for i := range tests {
		seg, err := g.Generate(context.Background(), base+uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(seg.Fingerprint.Release)
		outs, err := ff.Transcode(context.Background(), seg.Data, lps, look(i))
		if err != nil {
			t.Fatal(err)
		}
		tests[i].seg = probe.Segment{Seq: i, Data: seg.Data, Duration: seg.Duration, Ref: seg.Fingerprint}
		for _, o := range outs {
			tests[i].rs = append(tests[i].rs, probe.Rendition{Profile: o.Profile.Name, Data: o.Data})
		}
	}
	return tests
}

// noPPS hides a rendition's picture parameter set (its NAL type becomes
// filler data): the container layer passes it, ffmpeg decodes none of its
// frames and fails, and with it any process it shares.
func noPPS(t testing.TB, ts []byte) []byte {
	t.Helper()
	pps, filler := []byte{0, 0, 1, 0x68}, []byte{0, 0, 1, 0x6c}
	if !bytes.Contains(ts, pps) {
		t.Fatal("rendition has no picture parameter set to hide")
	}
	return bytes.ReplaceAll(ts, pps, filler)
}

// verifyAll runs every test's Verify at once on v and returns the verdicts
// and errors in test order.
func verifyAll(v probe.Verifier, ctxs []context.Context, tests []batchTest) ([][]probe.Verdict, []error) {
	vds, errs := make([][]probe.Verdict, len(tests)), make([]error, len(tests))
	var wg sync.WaitGroup
	for i, tc := range tests {
		wg.Go(func() { vds[i], errs[i] = v.Verify(ctxs[i], tc.seg, tc.rs) })
	}
	wg.Wait()
	return vds, errs
}

func background(n int) []context.Context {
	ctxs := make([]context.Context, n)
	for i := range ctxs {
		ctxs[i] = context.Background()
	}
	return ctxs
}

// TestBatchVerifier_Verify verifies tests of different orchestrators in
// shared ffmpeg runs and checks each against the same test verified on its
// own: an honest orchestrator, a mirrored one and one whose rendition
// breaks ffmpeg must each get exactly their own verdicts.
func TestBatchVerifier_Verify(t *testing.T) {
	t.Parallel()
	tests := makeBatchTests(t, 0xba7c0000, batchProfiles, 3, func(i int) node.Look { return node.Look{Mirror: i == 1} })
	alone := probe.MediaVerifier{Verifier: &media.Verifier{}}
	want, errs := verifyAll(alone, background(len(tests)), tests)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("test %d alone: %v", i, err)
		}
	}
	for i, w := range want {
		for _, vd := range w {
			if vd.OK != (i != 1) {
				t.Fatalf("test %d alone: %+v (0 and 2 honest, 1 mirrored)", i, vd)
			}
		}
	}

	t.Run("OK", func(t *testing.T) {
		// Max = the number of tests and a window no test reaches: one run.
		v := &probe.BatchVerifier{Verifier: &media.Verifier{}, Max: len(tests), Window: time.Hour}
		got, errs := verifyAll(v, background(len(tests)), tests)
		for i := range tests {
			if errs[i] != nil || !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("test %d batched: %+v %v, alone %+v", i, got[i], errs[i], want[i])
			}
		}
	})
	t.Run("ErrOneRenditionBreaksFFmpeg", func(t *testing.T) {
		broken := append([]batchTest(nil), tests...)
		broken[2].rs = []probe.Rendition{tests[2].rs[0], {Profile: tests[2].rs[1].Profile, Data: noPPS(t, tests[2].rs[1].Data)}}
		if vds, err := alone.Verify(context.Background(), broken[2].seg, broken[2].rs[1:]); err != nil || vds[0].Reason != string(media.Undecodable) {
			t.Fatalf("the broken rendition alone: %+v %v, want %s", vds, err, media.Undecodable)
		}
		v := &probe.BatchVerifier{Verifier: &media.Verifier{}, Max: len(tests), Window: time.Hour}
		got, errs := verifyAll(v, background(len(tests)), broken)
		for i := range tests[:2] {
			if errs[i] != nil || !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("test %d next to a broken rendition: %+v %v, alone %+v", i, got[i], errs[i], want[i])
			}
		}
		if errs[2] != nil || !reflect.DeepEqual(got[2][0], want[2][0]) || got[2][1].Reason != string(media.Undecodable) {
			t.Errorf("the broken test: %+v %v, want its honest rendition passed and the other %s", got[2], errs[2], media.Undecodable)
		}
	})
	t.Run("OKWindow", func(t *testing.T) {
		// One test alone in a batch that could hold 8: the window starts it.
		v := &probe.BatchVerifier{Verifier: &media.Verifier{}, Max: 8, Window: 10 * time.Millisecond}
		got, err := v.Verify(context.Background(), tests[0].seg, tests[0].rs)
		if err != nil || !reflect.DeepEqual(got, want[0]) {
			t.Errorf("batched after the window: %+v %v, alone %+v", got, err, want[0])
		}
	})
	t.Run("ErrContextDone", func(t *testing.T) {
		// Test 1's caller gives up while the batch waits for its window:
		// it gets its context's error at once, test 0 its verdicts after.
		v := &probe.BatchVerifier{Verifier: &media.Verifier{}, Max: 8, Window: 300 * time.Millisecond}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		type answer struct {
			test int
			vds  []probe.Verdict
			err  error
		}
		answers := make(chan answer, 2)
		for _, i := range []int{0, 1} {
			go func() {
				c := context.Background()
				if i == 1 {
					c = ctx
				}
				vds, err := v.Verify(c, tests[i].seg, tests[i].rs)
				answers <- answer{i, vds, err}
			}()
		}
		if a := <-answers; a.test != 1 || !errors.Is(a.err, context.DeadlineExceeded) {
			t.Fatalf("first answer: test %d, %v; want test 1's context.DeadlineExceeded", a.test, a.err)
		}
		if a := <-answers; a.err != nil || !reflect.DeepEqual(a.vds, want[0]) {
			t.Errorf("test 0: %+v %v, alone %+v", a.vds, a.err, want[0])
		}
	})
}
