package media

import (
	"context"
	"errors"
	"testing"
)

func TestVerifier_VerifyAll(t *testing.T) {
	t.Parallel()
	seg := podiumSegment(t, 0x5eed0001)
	rs := []Rendition{
		{P360p30fps16x9, transcode(t, seg.Data, P360p30fps16x9, encUltrafast, "")},
		{P240p30fps16x9, garbage(1, 50_000)},
		{P240p30fps16x9, transcode(t, seg.Data, P240p30fps16x9, encUltrafast, "hflip")},
		{P144p30fps16x9, transcode(t, seg.Data, P144p30fps16x9, encUltrafast, "")},
	}
	want := []Reason{"", NotMPEGTS, Mirrored, ""}
	v := &Verifier{}
	t.Run("OK", func(t *testing.T) {
		vds, err := v.VerifyAll(context.Background(), seg.Fingerprint, rs)
		if err != nil {
			t.Fatal(err)
		}
		for i, vd := range vds {
			if vd.Reason != want[i] || vd.OK != (want[i] == "") || vd.Profile != rs[i].Profile.Name {
				t.Errorf("rendition %d: verdict %+v, want reason %q", i, vd, want[i])
			}
		}
		if cm := vds[0].Measured.Content; cm == nil || cm.Nonce != seg.Nonce || cm.CodesRead != SegmentFrames {
			t.Errorf("honest rendition's frame codes: %+v", cm)
		}
	})
	t.Run("ErrContextDone", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := v.Verify(ctx, seg.Fingerprint, rs[0].Data, rs[0].Profile)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled (the verifier's trouble, not the rendition's)", err)
		}
	})
	t.Run("ErrNoFFmpeg", func(t *testing.T) {
		broken := &Verifier{FFmpeg: "/nonexistent/ffmpeg"}
		if _, err := broken.Verify(context.Background(), seg.Fingerprint, rs[0].Data, rs[0].Profile); err == nil {
			t.Fatal("no error without ffmpeg")
		}
	})
}
