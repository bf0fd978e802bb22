package media

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium/internal/cputime"
)

var (
	fullMatrix = flag.Bool("matrix", false, "run the whole fault matrix (minutes), not the representative subset")
	matrixOut  = flag.String("matrix-out", "", "write the matrix table (Markdown) to this file")
)

// fault is one way a rendition can be wrong, with the reason verification
// must give; expect gets whether the source carries frame codes.
type fault struct {
	name   string
	expect func(coded bool) Reason
	make   func(t testing.TB, c content, other content, p Profile) []byte
}

func always(r Reason) func(bool) Reason { return func(bool) Reason { return r } }

func codedOr(coded, foreign Reason) func(bool) Reason {
	return func(c bool) Reason {
		if c {
			return coded
		}
		return foreign
	}
}

var faults = []fault{
	{"stale segment", codedOr(WrongNonce, ContentMismatch), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 0), p, encUltrafast, "")
	}},
	{"next segment", codedOr(WrongNonce, ContentMismatch), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 2), p, encUltrafast, "")
	}},
	{"3 frames early", always(Shifted), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encUltrafast, "trim=start_frame=3,setpts=PTS-STARTPTS,tpad=stop=3:stop_mode=clone")
	}},
	{"2 frames late", always(Shifted), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encUltrafast, "tpad=start=2:start_mode=clone,trim=end_frame=60")
	}},
	{"black", always(Black), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encUltrafast, "drawbox=color=black:t=fill")
	}},
	{"frozen", always(Frozen), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encUltrafast, "trim=end_frame=1,loop=loop=59:size=1,setpts=N/30/TB")
	}},
	{"wrong size", always(WrongDimensions), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcodeTo(t, c.segment(t, 1), p.Width, p.Width*3/4/2*2, p, encUltrafast, "")
	}},
	{"half duration", always(WrongDuration), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encUltrafast, "", "-t", "1")
	}},
	{"15 fps", always(WrongFPS), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encUltrafast, "fps=15")
	}},
	{"other content", always(ContentMismatch), func(t testing.TB, _, other content, p Profile) []byte {
		return transcode(t, other.segment(t, 1), p, encUltrafast, "")
	}},
	{"mirrored", always(Mirrored), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encUltrafast, "hflip")
	}},
	{"garbage bytes", always(NotMPEGTS), func(testing.TB, content, content, Profile) []byte {
		return garbage(7, 300_000)
	}},
	{"audio only", always(NoVideo), func(t testing.TB, c, _ content, _ Profile) []byte {
		return runFFmpeg(t, c.segment(t, 1), "-f", "mpegts", "-i", "pipe:0", "-map", "0:a", "-c", "copy", "-f", "mpegts", "pipe:1")
	}},
	{"MPEG-2 video", always(NotH264), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encoder{name: "mpeg2video", args: func(Profile) []string {
			return []string{"-c:v", "mpeg2video"}
		}}, "")
	}},
	{"timestamps moved 1 s", always(PTSMismatch), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encUltrafast, "", "-output_ts_offset", "1")
	}},
	{"frame dropped and repeated", codedOr(FrameCounterGap, ""), func(t testing.TB, c, _ content, p Profile) []byte {
		return transcode(t, c.segment(t, 1), p, encUltrafast, "select='not(eq(n\\,30))',setpts=N/30/TB,tpad=stop=1:stop_mode=clone")
	}},
}

var honest = []encoder{encUltrafast, encVeryfast, encMedium, encBaseline, encCRF, encRGB, encCopyTS}

// matrixRow is one judged rendition of the matrix.
type matrixRow struct {
	content, profile, kind, name string
	expect                       Reason
	verdict                      Verdict
	cpu                          time.Duration
}

// TestVerify_Matrix builds honest and faulted renditions with ffmpeg and
// checks every verdict. By default a representative subset runs; -matrix
// runs every fault and encoder on every kind of content and profile.
func TestVerify_Matrix(t *testing.T) {
	if !*fullMatrix {
		t.Parallel() // the full run measures CPU time per rendition: alone
	}
	contents := []content{podiumContent(0x5eed0001), testsrcContent}
	profiles := []Profile{P240p30fps16x9}
	encoders := []encoder{encMedium, encCRF}
	if *fullMatrix {
		contents = []content{podiumContent(0x5eed0001), testsrcContent, mandelbrotContent, lowMotionContent}
		profiles = Profiles
		encoders = honest
	}
	var rows []matrixRow
	v := &Verifier{}
	ctx := context.Background()
	for ci, c := range contents {
		other := contents[(ci+1)%len(contents)]
		src := c.segment(t, 1)
		fp, err := v.Fingerprint(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		coded := fp.Nonce != 0
		if coded != (c.name == "podium") {
			t.Fatalf("%s: source nonce %d", c.name, fp.Nonce)
		}
		check := func(kind, name string, p Profile, expect Reason, data []byte) {
			t.Helper()
			before := cputime.Used()
			vd, err := v.Verify(ctx, fp, data, p)
			cpu := cputime.Used() - before
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, matrixRow{c.name, p.Name, kind, name, expect, vd, cpu})
			if cm := vd.Measured.Content; cm != nil {
				t.Logf("%s %s %s %s: %q distance %.2f edge %.2f best %.2f (%+d) mirrored %.2f activity %.2f/%.2f",
					c.name, p.Name, kind, name, vd.Reason, cm.Distance, cm.EdgeDistance, cm.BestDistance, cm.BestOffset,
					cm.MirroredDistance, cm.Activity, cm.SourceActivity)
			} else {
				t.Logf("%s %s %s %s: %q %s", c.name, p.Name, kind, name, vd.Reason, vd.Detail)
			}
			if vd.Reason != expect {
				t.Errorf("%s %s %s %s: got %q (%s), want %q; measured %+v content %+v",
					c.name, p.Name, kind, name, vd.Reason, vd.Detail, expect, vd.Measured.Container, vd.Measured.Content)
			}
		}
		for _, p := range profiles {
			for _, enc := range encoders {
				check("honest", enc.name, p, "", transcode(t, src, p, enc, ""))
			}
		}
		if !*fullMatrix && coded {
			check("honest", encUltrafast.name, P144p30fps16x9, "", transcode(t, src, P144p30fps16x9, encUltrafast, ""))
		}
		faultProfiles := profiles
		if *fullMatrix {
			faultProfiles = []Profile{P360p30fps16x9, P144p30fps16x9}
		}
		for _, p := range faultProfiles {
			for _, f := range faults {
				expect := f.expect(coded)
				if expect == "" {
					continue // not a fault this source can show
				}
				if !*fullMatrix && !subsetFault(f.name, coded) {
					continue
				}
				check("fault", f.name, p, expect, f.make(t, c, other, p))
			}
		}
	}
	if *matrixOut != "" {
		if err := os.WriteFile(*matrixOut, []byte(matrixMargins(rows)+"\n"+matrixTable(rows)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// subsetFault reports whether the default (short) run checks fault name:
// on podium's segments every fault but the next segment (the stale one
// covers it); on a foreign source the ones only the content layer catches.
func subsetFault(name string, coded bool) bool {
	switch name {
	case "next segment":
		return false
	case "stale segment", "3 frames early", "mirrored":
		return true
	}
	return coded
}

// matrixTable renders the rows and the margins as Markdown.
func matrixTable(rows []matrixRow) string {
	var b strings.Builder
	b.WriteString("| content | profile | rendition | expected | verdict | distance | best (offset) | mirrored | at ±8 | activity / source | codes | CPU ms |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		want := string(r.expect)
		if want == "" {
			want = "OK"
		}
		got := string(r.verdict.Reason)
		if r.verdict.OK {
			got = "OK"
		}
		cm := r.verdict.Measured.Content
		dist, best, mir, self, act, codes := "–", "–", "–", "–", "–", "–"
		if cm != nil {
			dist = fmt.Sprintf("%.2f", cm.Distance)
			best = fmt.Sprintf("%.2f (%+d)", cm.BestDistance, cm.BestOffset)
			mir = fmt.Sprintf("%.2f", cm.MirroredDistance)
			self = fmt.Sprintf("%.2f", cm.EdgeDistance)
			act = fmt.Sprintf("%.2f / %.2f", cm.Activity, cm.SourceActivity)
			if cm.ExpectedNonce != 0 {
				codes = fmt.Sprintf("%d", cm.CodesRead)
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s: %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f |\n",
			r.content, strings.TrimSuffix(r.profile, "30fps16x9"), r.kind, r.name, want, got,
			dist, best, mir, self, act, codes, float64(r.cpu.Microseconds())/1000)
	}
	return b.String()
}
