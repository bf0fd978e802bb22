package media

import (
	"context"
	"errors"
	"math"
)

// Rendition is one transcoded segment and the profile it claims to be.
type Rendition struct {
	Profile Profile
	Data    []byte
}

// Verify judges one rendition of src with the zero Verifier.
func Verify(ctx context.Context, src *Fingerprint, rendition []byte, p Profile) (Verdict, error) {
	var v Verifier
	return v.Verify(ctx, src, rendition, p)
}

// Verify judges one rendition of src against profile p. The error is only
// for the verifier's own trouble (ffmpeg missing, ctx done): a rendition that
// cannot be parsed or decoded gets a Verdict, not an error.
func (v *Verifier) Verify(ctx context.Context, src *Fingerprint, rendition []byte, p Profile) (Verdict, error) {
	vds, err := v.VerifyAll(ctx, src, []Rendition{{Profile: p, Data: rendition}})
	if err != nil {
		return Verdict{}, err
	}
	return vds[0], nil
}

// VerifyAll judges every rendition of one source segment in one ffmpeg
// process: see VerifyBatch.
func (v *Verifier) VerifyAll(ctx context.Context, src *Fingerprint, rs []Rendition) ([]Verdict, error) {
	checks := make([]Check, len(rs))
	for i, r := range rs {
		checks[i] = Check{Source: src, Rendition: r}
	}
	return v.VerifyBatch(ctx, checks)
}

// checkContainer runs the pure-Go layer: tracks, codec, size by the
// profile rule, fps, duration, frame count and first PTS.
func (v *Verifier) checkContainer(src *Fingerprint, r Rendition) Verdict {
	lim := v.limits()
	sc := src.Container
	vd := Verdict{OK: true, Profile: r.Profile.Name}
	m := &vd.Measured
	m.ExpectedWidth, m.ExpectedHeight = r.Profile.Size(sc.Width, sc.Height)
	m.ExpectedFPS = float64(r.Profile.FPS)
	m.ExpectedFrames = sc.Frames
	m.ExpectedDuration = sc.Duration
	m.SourceFirstPTS = sc.FirstPTS
	if sc.FPS > 0 && m.ExpectedFPS > 0 && math.Abs(sc.FPS-m.ExpectedFPS) > lim.FPSTolerance*m.ExpectedFPS {
		// A profile never raises the frame rate: a 25 fps source stays 25.
		m.ExpectedFPS = min(sc.FPS, m.ExpectedFPS)
	}
	if m.ExpectedFPS != sc.FPS && sc.FPS > 0 {
		m.ExpectedFrames = int(math.Round(sc.Duration * m.ExpectedFPS))
	}

	c, err := ParseTS(r.Data)
	m.Container = c
	var re *ReasonError
	if errors.As(err, &re) {
		vd.fail(re)
		return vd
	}
	m.NeededBitrate = float64(r.Profile.Bitrate)
	if px := sc.Width * sc.Height; px > 0 && sc.Bitrate > 0 {
		share := min(1, float64(m.ExpectedWidth*m.ExpectedHeight)/float64(px))
		m.NeededBitrate = math.Round(min(m.NeededBitrate, sc.Bitrate*share))
	}
	frame := 1 / m.ExpectedFPS
	m.PTSDelta = ptsDelta(c.FirstPTS, sc.FirstPTS)
	switch {
	case c.videoSum == sc.videoSum:
		vd.fail(reasonf(SourceCopy, "the video track is the source's own (%d bytes of H.264), not a transcode", c.VideoBytes))
	case !sizeMatches(c.Width, c.Height, m.ExpectedWidth, m.ExpectedHeight, sc.Width >= sc.Height, lim.DimensionSlack):
		vd.fail(reasonf(WrongDimensions, "%dx%d, want %dx%d for a %dx%d source",
			c.Width, c.Height, m.ExpectedWidth, m.ExpectedHeight, sc.Width, sc.Height))
	case c.Frames > 1 && math.Abs(c.FPS-m.ExpectedFPS) > lim.FPSTolerance*m.ExpectedFPS:
		vd.fail(reasonf(WrongFPS, "%.3g fps, want %.3g", c.FPS, m.ExpectedFPS))
	case math.Abs(c.Duration-m.ExpectedDuration) > lim.DurationSlack*frame:
		vd.fail(reasonf(WrongDuration, "%.3f s, want %.3f s", c.Duration, m.ExpectedDuration))
	case abs(c.Frames-m.ExpectedFrames) > lim.FrameSlack:
		vd.fail(reasonf(WrongFrameCount, "%d frames, want %d", c.Frames, m.ExpectedFrames))
	case math.Abs(float64(m.PTSDelta)) > lim.PTSSlack*frame*ptsClock:
		vd.fail(reasonf(PTSMismatch, "first PTS %d, source's %d (%+.3f s)",
			c.FirstPTS, sc.FirstPTS, float64(m.PTSDelta)/ptsClock))
	case sc.AudioTracks > 0 && c.AudioTracks == 0:
		vd.fail(reasonf(NoAudio, "no audio track; the source has %d", sc.AudioTracks))
	}
	return vd
}

// sizeMatches applies the profile rule: the kept dimension exactly, the
// scaled one within slack pixels.
func sizeMatches(w, h, ew, eh int, landscape bool, slack int) bool {
	if landscape {
		return w == ew && abs(h-eh) <= slack
	}
	return h == eh && abs(w-ew) <= slack
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
