package media

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"sync"
	"testing"
)

// runFFmpeg runs ffmpeg with in on stdin and returns what it writes to stdout.
func runFFmpeg(t testing.TB, in []byte, args ...string) []byte {
	t.Helper()
	args = append([]string{"-hide_banner", "-nostdin", "-loglevel", "error"}, args...)
	cmd := exec.Command("ffmpeg", args...)
	cmd.Stdin = bytes.NewReader(in)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ffmpeg %v: %v: %s", args, err, stderr.String())
	}
	return out.Bytes()
}

// content is a kind of source picture: segment(i) returns the i-th 2 s
// segment of it (i = 1 is the source; 0 and 2 are the stale and next ones).
type content struct {
	name    string
	segment func(t testing.TB, i int) []byte
}

// podiumContent is podium's own segments; the i-th has nonce base+i.
func podiumContent(base uint32) content {
	return content{name: "podium", segment: func(t testing.TB, i int) []byte {
		t.Helper()
		return podiumSegment(t, base+uint32(i)).Data
	}}
}

var (
	segMu    sync.Mutex
	segCache = map[uint32]*Segment{}
)

// podiumSegment generates (once per test binary) the segment of nonce.
func podiumSegment(t testing.TB, nonce uint32) *Segment {
	t.Helper()
	segMu.Lock()
	defer segMu.Unlock()
	if s, ok := segCache[nonce]; ok {
		return s
	}
	s, err := (&Generator{}).Generate(context.Background(), nonce)
	if err != nil {
		t.Fatal(err)
	}
	segCache[nonce] = s
	return s
}

// lavfiContent is a source built from an ffmpeg lavfi filter at 1280×720
// 30 fps; segment i starts at 2·i seconds but every segment gets the same
// timestamps, as a fresh segment from a real source would.
func lavfiContent(name, filter string, tone int) content {
	cache := map[int][]byte{}
	var mu sync.Mutex
	return content{name: name, segment: func(t testing.TB, i int) []byte {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if b, ok := cache[i]; ok {
			return b
		}
		b := runFFmpeg(t, nil,
			"-f", "lavfi", "-i", filter,
			"-f", "lavfi", "-i", "sine=frequency="+strconv.Itoa(tone)+":sample_rate=48000",
			"-ss", strconv.Itoa(2*i), "-t", "2", "-map", "0:v", "-map", "1:a",
			"-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-g", "60", "-bf", "0",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", "pipe:1")
		cache[i] = b
		return b
	}}
}

// The three foreign kinds of picture: synthetic with fast motion, a
// natural-looking slow zoom, and a low-motion one (a pattern drifting less
// than a pixel a frame). Each is deterministic, so segment i is always the same.
var (
	testsrcContent    = lavfiContent("testsrc2", "testsrc2=size=1280x720:rate=30", 523)
	mandelbrotContent = lavfiContent("mandelbrot", "mandelbrot=size=1280x720:rate=30", 659)
	lowMotionContent  = lavfiContent("low-motion", "nullsrc=size=320x180:rate=30,"+
		"geq=lum='128+70*sin((X+T*6)/25)*cos((Y-T*2)/18)':cb='128+30*sin(X/40)':cr='128+20*cos(Y/30)',scale=1280:720", 784)
)

// encoder is one honest way to transcode.
type encoder struct {
	name string
	args func(p Profile) []string
}

func x264(preset string, bitrateFactor float64, extra ...string) encoder {
	return encoder{
		name: fmt.Sprintf("libx264 %s %.2gx", preset, bitrateFactor),
		args: func(p Profile) []string {
			b := int(float64(p.Bitrate) * bitrateFactor)
			return append([]string{"-c:v", "libx264", "-preset", preset,
				"-b:v", strconv.Itoa(b), "-maxrate", strconv.Itoa(b), "-bufsize", strconv.Itoa(b)}, extra...)
		},
	}
}

var (
	encUltrafast = x264("ultrafast", 1)
	encVeryfast  = x264("veryfast", 0.5)
	encMedium    = x264("medium", 1)
	// encBaseline is a low-latency baseline stream at a third of the rate.
	encBaseline = encoder{name: "libx264 faster baseline zerolatency 0.33x", args: func(p Profile) []string {
		return []string{"-c:v", "libx264", "-preset", "faster", "-profile:v", "baseline",
			"-tune", "zerolatency", "-b:v", strconv.Itoa(p.Bitrate / 3)}
	}}
	// encCRF is quality-targeted rather than bitrate-targeted, capped at
	// the profile's rate (uncapped CRF 32 undershoots into LowBitrate).
	encCRF = encoder{name: "libx264 slow crf 23 capped", args: func(p Profile) []string {
		return []string{"-c:v", "libx264", "-preset", "slow", "-crf", "23",
			"-maxrate", strconv.Itoa(p.Bitrate), "-bufsize", strconv.Itoa(2 * p.Bitrate)}
	}}
	// encRGB is x264's RGB encoder (High 4:4:4), a different code path.
	encRGB = encoder{name: "libx264rgb veryfast", args: func(p Profile) []string {
		return []string{"-c:v", "libx264rgb", "-preset", "veryfast", "-b:v", strconv.Itoa(p.Bitrate)}
	}}
	// encCopyTS keeps the source's timestamps the way go-livepeer does.
	encCopyTS = encoder{name: "libx264 veryfast copyts", args: func(p Profile) []string {
		return []string{"-c:v", "libx264", "-preset", "veryfast", "-b:v", strconv.Itoa(p.Bitrate), "-muxdelay", "0"}
	}}
)

// transcode makes a rendition of src for p with enc, applying vf (a filter
// chain before the scaler, may be empty) and extra output arguments.
func transcode(t testing.TB, src []byte, p Profile, enc encoder, vf string, extra ...string) []byte {
	t.Helper()
	w, h := p.Size(SegmentWidth, SegmentHeight)
	return transcodeTo(t, src, w, h, p, enc, vf, extra...)
}

// transcodeTo is transcode to a w×h picture whatever the profile says.
func transcodeTo(t testing.TB, src []byte, w, h int, p Profile, enc encoder, vf string, extra ...string) []byte {
	t.Helper()
	scale := fmt.Sprintf("scale=%d:%d", w, h)
	if vf != "" {
		scale = vf + "," + scale
	}
	var in []string
	if enc.name == encCopyTS.name {
		in = []string{"-copyts"}
	}
	args := append(in, "-f", "mpegts", "-i", "pipe:0", "-map", "0:v", "-map", "0:a", "-vf", scale)
	args = append(args, enc.args(p)...)
	args = append(args, "-c:a", "copy")
	args = append(args, extra...)
	args = append(args, "-f", "mpegts", "pipe:1")
	return runFFmpeg(t, src, args...)
}

// garbage returns n seeded random bytes.
func garbage(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
