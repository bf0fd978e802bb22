package node

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test inputs, made on first use by loadSegments with ffmpeg: 2 s of 30 fps
// H.264 with AAC audio in MPEG-TS. segHD is 720p; segA and segB are two
// different 360p pictures, cheaper to transcode on a busy machine. They
// start 10 s into their stream, as a later segment of a live stream does.
var (
	segHD, segA, segB []byte
	segOnce           sync.Once
	segDir            string
	segErr            error
)

// loadSegments makes the test inputs once per test binary (not in fuzz
// workers, which never call it).
func loadSegments(tb testing.TB) {
	tb.Helper()
	segOnce.Do(func() {
		if segDir, segErr = os.MkdirTemp("", "podium-node-test-"); segErr != nil {
			return
		}
		if segHD, segErr = makeSegment(segDir, "hd.ts", "testsrc2", "1280x720"); segErr != nil {
			return
		}
		if segA, segErr = makeSegment(segDir, "a.ts", "testsrc2", "640x360"); segErr != nil {
			return
		}
		segB, segErr = makeSegment(segDir, "b.ts", "mandelbrot", "640x360")
	})
	if segErr != nil {
		tb.Fatalf("make test segments (is ffmpeg installed?): %v", segErr)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if segDir != "" {
		os.RemoveAll(segDir)
	}
	os.Exit(code)
}

func makeSegment(dir, name, source, size string) ([]byte, error) {
	out := filepath.Join(dir, name)
	cmd := exec.Command("ffmpeg", "-hide_banner", "-v", "error", "-y",
		"-f", "lavfi", "-i", source+"=size="+size+":rate=30",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-b:a", "64k", "-output_ts_offset", "10", "-f", "mpegts", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, b)
	}
	return os.ReadFile(out)
}

// probed is what ffprobe says about a rendition's video.
type probed struct {
	Width, Height int
	FPS           float64
	Duration      float64
	Start         float64
	Audio         bool
}

func probe(t *testing.T, data []byte) probed {
	t.Helper()
	f := filepath.Join(t.TempDir(), "r.ts")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-of", "json", "-show_entries",
		"stream=codec_type,width,height,avg_frame_rate:format=duration,start_time", f).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var v struct {
		Streams []struct {
			CodecType    string `json:"codec_type"`
			Width        int    `json:"width"`
			Height       int    `json:"height"`
			AvgFrameRate string `json:"avg_frame_rate"`
		} `json:"streams"`
		Format struct {
			Duration  string `json:"duration"`
			StartTime string `json:"start_time"`
		} `json:"format"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	var p probed
	for _, s := range v.Streams {
		switch s.CodecType {
		case "video":
			p.Width, p.Height = s.Width, s.Height
			if num, den, ok := strings.Cut(s.AvgFrameRate, "/"); ok {
				n, _ := strconv.ParseFloat(num, 64)
				d, _ := strconv.ParseFloat(den, 64)
				if d > 0 {
					p.FPS = n / d
				}
			}
		case "audio":
			p.Audio = true
		}
	}
	p.Duration, _ = strconv.ParseFloat(v.Format.Duration, 64)
	p.Start, _ = strconv.ParseFloat(v.Format.StartTime, 64)
	return p
}

// thumbW x thumbH grey thumbnails are enough to tell pictures apart.
const thumbW, thumbH = 32, 18

// thumbs decodes every frame of data to a small grey picture.
func thumbs(t *testing.T, data []byte) [][]byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-i", "pipe:0",
		"-vf", fmt.Sprintf("scale=%d:%d,format=gray", thumbW, thumbH), "-f", "rawvideo", "pipe:1")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("decode rendition: %v", err)
	}
	var fs [][]byte
	for n := thumbW * thumbH; len(out) >= n; out = out[n:] {
		fs = append(fs, out[:n])
	}
	if len(fs) == 0 {
		t.Fatal("rendition has no frames")
	}
	return fs
}

// diff is the mean absolute difference of two thumbnails (0–255).
func diff(a, b []byte) float64 {
	var s int
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d < 0 {
			d = -d
		}
		s += d
	}
	return float64(s) / float64(len(a))
}

// flip mirrors a thumbnail left to right.
func flip(a []byte) []byte {
	b := make([]byte, len(a))
	for y := 0; y < thumbH; y++ {
		for x := 0; x < thumbW; x++ {
			b[y*thumbW+x] = a[y*thumbW+thumbW-1-x]
		}
	}
	return b
}
