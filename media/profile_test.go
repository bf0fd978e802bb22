package media

import (
	"testing"

	"github.com/podiumhq/podium"
)

func TestProfile_Size(t *testing.T) {
	for _, tc := range []struct {
		p            Profile
		srcW, srcH   int
		wantW, wantH int
	}{
		{P720p30fps16x9, 1280, 720, 1280, 720},
		{P360p30fps16x9, 1280, 720, 640, 360},
		{P240p30fps16x9, 1280, 720, 426, 240},
		{P144p30fps16x9, 1280, 720, 256, 144},
		{P360p30fps16x9, 1920, 1080, 640, 360},
		{P360p30fps16x9, 640, 480, 640, 480},    // 4:3 keeps its aspect
		{P240p30fps16x9, 720, 1280, 240, 426},   // portrait: the long side on the height
		{P720p30fps16x9, 1080, 1920, 720, 1280}, // portrait 16:9
		{P360p30fps16x9, 1000, 1500, 426, 640},  // 640·1000/1500 = 426.7 → 426 (even)
		{P144p30fps16x9, 500, 500, 256, 256},    // square counts as landscape
	} {
		w, h := tc.p.Size(tc.srcW, tc.srcH)
		if w != tc.wantW || h != tc.wantH {
			t.Errorf("%s of %dx%d = %dx%d, want %dx%d", tc.p.Name, tc.srcW, tc.srcH, w, h, tc.wantW, tc.wantH)
		}
	}
}

func TestLookupProfile(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		p, err := LookupProfile("p360p30fps16x9")
		if err != nil || p != P360p30fps16x9 {
			t.Fatalf("got %v, %v", p, err)
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		_, err := LookupProfile("P1080p")
		if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorHint(err) == "" {
			t.Fatalf("err %v, want EINVALID with a hint", err)
		}
	})
}
