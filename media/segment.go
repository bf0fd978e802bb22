package media

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/podiumhq/podium"
)

// Segment is one test segment, ready to send: its bytes and the
// fingerprint its renditions are judged against.
type Segment struct {
	Nonce       uint32        // never 0
	Data        []byte        // MPEG-TS: H.264 1280×720 30 fps + AAC
	Duration    time.Duration // 2 s
	Fingerprint *Fingerprint
}

// Generator makes test segments with ffmpeg.
type Generator struct {
	FFmpeg string // path to ffmpeg; "ffmpeg" when empty
	// Profiles are the renditions tests will ask for: a segment keeps the
	// source decoded at their sizes, ready for verification (about 30 MB
	// for 360p and 240p, 115 MB for the whole stock ladder). Nil means
	// every stock profile. A rendition of another size still verifies; its
	// reference is made when first needed.
	Profiles []Profile
}

// Generate makes the segment of nonce: the picture drawn in Go from the
// nonce (gratings, a bouncing box, the frame code), a tone of a
// nonce-derived pitch, encoded by ffmpeg, then fingerprinted.
func (g *Generator) Generate(ctx context.Context, nonce uint32) (*Segment, error) {
	if nonce == 0 {
		return nil, podium.FieldError("nonce", "must not be 0").
			WithHint("0 marks a source without a frame code")
	}
	w, h := SegmentWidth, SegmentHeight
	p := newPicture(nonce, w, h)
	var raw bytes.Buffer
	raw.Grow(SegmentFrames * w * h * 3 / 2)
	frame := make([]byte, w*h*3/2)
	for t := 0; t < SegmentFrames; t++ {
		p.frame(frame, t)
		raw.Write(frame)
	}
	tone := 300 + int(nonce%1700) // Hz
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error",
		"-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", fmt.Sprintf("%dx%d", w, h),
		"-r", strconv.Itoa(SegmentFPS), "-i", "pipe:0",
		"-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=%d:sample_rate=48000", tone),
		"-map", "0:v", "-map", "1:a", "-frames:v", strconv.Itoa(SegmentFrames), "-t", "2",
		"-c:v", "libx264", "-preset", "superfast", "-crf", "18", "-g", strconv.Itoa(SegmentFrames),
		"-bf", "0", "-pix_fmt", "yuv420p", "-threads", "1",
		"-c:a", "aac", "-b:a", "96k", "-f", "mpegts", "pipe:1"}
	job := &ffmpegJob{path: g.FFmpeg, args: args, stdin: &raw}
	data, _, err := job.run(ctx)
	if err != nil {
		return nil, fmt.Errorf("encode segment %d: %w", nonce, err)
	}
	v := Verifier{FFmpeg: g.FFmpeg}
	profiles := g.Profiles
	if profiles == nil {
		profiles = Profiles
	}
	fp, err := v.fingerprint(ctx, data, profiles)
	if err != nil {
		return nil, fmt.Errorf("fingerprint segment %d: %w", nonce, err)
	}
	if fp.Nonce != nonce {
		fp.Release()
		return nil, fmt.Errorf("segment %d: frame code reads back as nonce %d", nonce, fp.Nonce)
	}
	return &Segment{Nonce: nonce, Data: data, Duration: 2 * time.Second, Fingerprint: fp}, nil
}
