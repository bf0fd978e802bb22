package media

import (
	"math"
	"os"
	"testing"
)

func TestParseTS(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		data, err := os.ReadFile("testdata/tiny.ts")
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseTS(data)
		if err != nil {
			t.Fatal(err)
		}
		want := Container{VideoTracks: 1, AudioTracks: 1, VideoCodec: "H264", Width: 128, Height: 72,
			SPSFPS: 30, FPS: 30, Frames: 6, Duration: 0.2}
		got := *c
		got.FirstPTS = 0
		if got.VideoBytes == 0 || got.Bitrate != math.Round(float64(got.VideoBytes)*8/got.Duration) {
			t.Errorf("video bytes %d, bitrate %.0f", got.VideoBytes, got.Bitrate)
		}
		got.VideoBytes, got.Bitrate, got.videoSum = 0, 0, [32]byte{}
		if got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		if c.FirstPTS < 126000 || c.FirstPTS > 126000+9000 {
			t.Fatalf("first PTS %d, want about 1.4 s (ffmpeg's mux delay)", c.FirstPTS)
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		if _, err := ParseTS(nil); reasonOf(err) != NotMPEGTS {
			t.Fatalf("err %v, want NotMPEGTS", err)
		}
	})
	t.Run("ErrTruncated", func(t *testing.T) {
		data, _ := os.ReadFile("testdata/tiny.ts")
		_, err := ParseTS(data[:188*3])
		if r := reasonOf(err); r != NotMPEGTS && r != Undecodable {
			t.Fatalf("err %v, want NotMPEGTS or Undecodable", err)
		}
	})
}

func reasonOf(err error) Reason {
	if re, ok := err.(*ReasonError); ok {
		return re.Reason
	}
	return ""
}

func TestPTSDelta(t *testing.T) {
	for _, tc := range []struct{ a, b, want int64 }{
		{100, 40, 60},
		{40, 100, -60},
		{5, 0x1FFFFFFFF - 4, 10}, // across the 33-bit wrap
		{0x1FFFFFFFF - 4, 5, -10},
	} {
		if got := ptsDelta(tc.a, tc.b); got != tc.want {
			t.Errorf("ptsDelta(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
