package media

import (
	"bytes"
	"context"
	"reflect"
	"testing"
)

// noPPS hides the picture parameter set of an honest rendition (its NAL
// type becomes filler): the container layer still passes it (the SPS, the
// frames and their timestamps are intact), but ffmpeg decodes no frame of
// it and its process fails, taking down whatever shares the process.
func noPPS(t testing.TB, ts []byte) []byte {
	t.Helper()
	pps, filler := []byte{0, 0, 1, 0x68}, []byte{0, 0, 1, 0x6c}
	if bytes.Count(ts, pps) == 0 {
		t.Fatal("rendition has no picture parameter set to hide")
	}
	return bytes.ReplaceAll(ts, pps, filler)
}

// TestVerifier_VerifyGroups checks that verifying several tests'
// renditions in one ffmpeg process gives each rendition exactly the
// verdict and the measurements it gets alone, and that a rendition which
// breaks the shared process changes no other test's verdict.
func TestVerifier_VerifyGroups(t *testing.T) {
	t.Parallel()
	seg1, seg2 := podiumSegment(t, 0x5eed0001), podiumSegment(t, 0x5eed0002)
	honest := func(s *Segment, p Profile) Check {
		return Check{Source: s.Fingerprint, Rendition: Rendition{Profile: p, Data: transcode(t, s.Data, p, encUltrafast, "")}}
	}
	a := []Check{honest(seg1, P360p30fps16x9), honest(seg1, P240p30fps16x9)}
	b := []Check{honest(seg2, P360p30fps16x9), honest(seg2, P240p30fps16x9)}
	mirrored := Check{Source: seg2.Fingerprint, Rendition: Rendition{Profile: P144p30fps16x9,
		Data: transcode(t, seg2.Data, P144p30fps16x9, encUltrafast, "hflip")}}
	poisoned := Check{Source: seg1.Fingerprint, Rendition: Rendition{Profile: P240p30fps16x9, Data: noPPS(t, a[1].Rendition.Data)}}
	c := []Check{a[0], poisoned, mirrored}

	v := &Verifier{}
	ctx := context.Background()
	alone := func(t *testing.T, cs []Check) []Verdict {
		t.Helper()
		var out []Verdict
		for _, ch := range cs {
			vd, err := v.Verify(ctx, ch.Source, ch.Rendition.Data, ch.Rendition.Profile)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, vd)
		}
		return out
	}
	same := func(t *testing.T, name string, got, want []Verdict) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: batched verdicts differ from each rendition verified alone:\n got %+v\nwant %+v", name, got, want)
		}
	}

	t.Run("OK", func(t *testing.T) {
		got, err := v.VerifyGroups(ctx, [][]Check{a, b, {mirrored}})
		if err != nil {
			t.Fatal(err)
		}
		same(t, "a", got[0], alone(t, a))
		same(t, "b", got[1], alone(t, b))
		same(t, "mirrored", got[2], alone(t, []Check{mirrored}))
		for i, vd := range append(got[0], got[1]...) {
			if !vd.OK {
				t.Errorf("honest rendition %d rejected: %s %s", i, vd.Reason, vd.Detail)
			}
		}
		if got[2][0].Reason != Mirrored {
			t.Errorf("mirrored rendition: %s %s", got[2][0].Reason, got[2][0].Detail)
		}
	})
	t.Run("ErrFFmpegFailsOnOneRendition", func(t *testing.T) {
		if _, err := compareBatch(ctx, "", []compareItem{{src: seg1.Fingerprint, data: poisoned.Rendition.Data,
			w: 426, h: 240, audio: true}}); !isFFmpegFailure(err) {
			t.Fatalf("the poisoned rendition does not fail ffmpeg (err %v): the test proves nothing", err)
		}
		got, err := v.VerifyGroups(ctx, [][]Check{a, c, b})
		if err != nil {
			t.Fatal(err)
		}
		same(t, "a", got[0], alone(t, a))
		same(t, "b", got[2], alone(t, b))
		same(t, "c", got[1], alone(t, c))
		if vd := got[1][1]; vd.OK || vd.Reason != Undecodable {
			t.Errorf("poisoned rendition: %+v, want %s", vd, Undecodable)
		}
		if !got[1][0].OK || got[1][2].Reason != Mirrored {
			t.Errorf("the poisoned rendition's neighbours in its own group: %s, %s", got[1][0].Reason, got[1][2].Reason)
		}
	})
}
