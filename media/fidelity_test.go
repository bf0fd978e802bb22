package media

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// fidelityContents are the kinds of picture the fidelity tests run on:
// podium's own segment (fast motion, text, frame codes), testsrc2 (motion,
// text, sharp colour bars), a full-resolution Mandelbrot zoom (fine
// detail) and a slowly drifting smooth pattern (flat gradients).
func fidelityContents() []content {
	return []content{podiumContent(0x5eed0101), testsrcContent, mandelbrotContent, lowMotionContent}
}

// ladder3 is the stock ladder (lpnet.DefaultLadder).
var ladder3 = []Profile{P720p30fps16x9, P360p30fps16x9, P240p30fps16x9}

// invisible lists, per attack, the kinds of picture on which it changes
// nothing the verifier can measure, and why; everywhere else it must be
// caught. docs/verification-matrix.md says the same.
var invisible = map[string]map[string]string{
	"shrunk to 1/8 and scaled up": {"low-motion": "the pattern is smooth: nothing finer than 1/8 of the picture to lose"},
	"lower rung scaled up":        {"low-motion": "the pattern is smooth"},
	"strong blur":                 {"low-motion": "the pattern is smooth"},
	"bitrate 1/10":                {"low-motion": "an easy picture: honest rate control undershoots as far"},
	"frames swapped in pairs":     {"low-motion": "neighbouring frames differ by less than coding noise"},
	"half rate repeated":          {"low-motion": "neighbouring frames differ by less than coding noise"},
	"quarter rate repeated":       {"low-motion": "neighbouring frames differ by less than coding noise"},
}

// TestVerify_Attacks makes each cheaper dishonest rendition of issue 17
// with ffmpeg, on every kind of picture, and checks it is refused with its
// own reason (on at least three kinds of picture each).
func TestVerify_Attacks(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	caught := map[string]int{}
	t.Cleanup(func() {
		for _, a := range attacks(P720p30fps16x9) {
			if caught[a.name] < 3 {
				t.Errorf("%s caught on %d kinds of picture, want at least 3", a.name, caught[a.name])
			}
		}
	})
	for ci, c := range fidelityContents() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := c.segment(t, 1)
			v := &Verifier{}
			fp, err := v.Fingerprint(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			for ai, a := range attacks(P720p30fps16x9) {
				p := ladder3[(ci+ai)%len(ladder3)]
				if a.name == "source as rendition" {
					p = P720p30fps16x9
				}
				a = attackFor(a.name, p)
				vd, err := v.Verify(context.Background(), fp, a.make(t, src, p), p)
				if err != nil {
					t.Fatal(err)
				}
				why, skip := invisible[a.name][c.name]
				switch {
				case vd.Reason == a.expect:
					mu.Lock()
					caught[a.name]++
					mu.Unlock()
					if !strings.Contains(vd.Detail, " ") || vd.Detail == "" {
						t.Errorf("%s %s: detail %q does not explain", a.name, p.Name, vd.Detail)
					}
				case skip:
					t.Logf("%s on %s %s: %q (%s)", a.name, c.name, p.Name, vd.Reason, why)
				default:
					t.Errorf("%s on %s %s: verdict %q (%s), want %q; fidelity %+v",
						a.name, c.name, p.Name, vd.Reason, vd.Detail, a.expect, vd.Measured.Fidelity)
				}
			}
		})
	}
}

// attackFor returns the attack called name for profile p.
func attackFor(name string, p Profile) attack {
	for _, a := range attacks(p) {
		if a.name == name {
			return a
		}
	}
	panic("no attack " + name)
}

// TestVerify_Honest runs the honest matrix of issue 17 (x264 presets
// ultrafast to slow, GOPs of 1 s and 10 s, with and without B-frames, ABR,
// CBR and capped VBR, bilinear and bicubic scalers, audio copied and
// re-encoded, a hardware-like undershooting rate control) on every kind of
// picture: no rendition may be refused. Each content meets every encoder,
// the profiles rotating so each encoder meets each profile.
func TestVerify_Honest(t *testing.T) {
	t.Parallel()
	for ci, c := range fidelityContents() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := c.segment(t, 1)
			v := &Verifier{}
			fp, err := v.Fingerprint(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			for ri, r := range honestRenders {
				p := ladder3[(ci+ri)%len(ladder3)]
				vd, err := v.Verify(context.Background(), fp, r.make(t, src, p), p)
				if err != nil {
					t.Fatal(err)
				}
				if !vd.OK {
					t.Errorf("honest %s on %s %s refused: %s (%s); fidelity %+v audio %+v",
						r.name, c.name, p.Name, vd.Reason, vd.Detail, vd.Measured.Fidelity, vd.Measured.Audio)
				}
			}
		})
	}
}
