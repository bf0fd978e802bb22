package media

import (
	"context"
	"testing"

	"github.com/podiumhq/podium/internal/cputime"
)

// BenchmarkVerify measures the CPU time (this process and ffmpeg, from
// getrusage) of verifying renditions of a podium segment: the stock ladder
// (lpnet.DefaultLadder: 720p, 360p, 240p) in one batch, as the prober does,
// each profile on its own, and the layers apart. Every run decodes the
// source once, as a test does.
//
//	go test -run '^$' -bench Verify -benchtime 10x ./media
func BenchmarkVerify(b *testing.B) {
	seg := podiumSegment(b, 0x5eed0001)
	ctx := context.Background()
	v := &Verifier{}
	var ladder []Rendition
	for _, p := range Profiles {
		ladder = append(ladder, Rendition{Profile: p, Data: transcode(b, seg.Data, p, encUltrafast, "")})
	}
	cpuPer := func(b *testing.B, n int, f func()) {
		b.Helper()
		b.ResetTimer()
		start := cputime.Used()
		for b.Loop() {
			f()
		}
		b.ReportMetric(float64((cputime.Used()-start).Microseconds())/1000/float64(b.N*n), "cpu-ms/rendition")
	}
	for _, r := range ladder {
		b.Run("one/"+r.Profile.Name, func(b *testing.B) {
			cpuPer(b, 1, func() {
				if vd, err := v.Verify(ctx, seg.Fingerprint, r.Data, r.Profile); err != nil || !vd.OK {
					b.Fatalf("%v %+v", err, vd)
				}
			})
		})
	}
	verifyAll := func(b *testing.B, rs []Rendition) {
		b.Helper()
		vds, err := v.VerifyAll(ctx, seg.Fingerprint, rs)
		if err != nil {
			b.Fatal(err)
		}
		for _, vd := range vds {
			if !vd.OK {
				b.Fatalf("%s: %s %s", vd.Profile, vd.Reason, vd.Detail)
			}
		}
	}
	b.Run("ladder/stock-720+360+240", func(b *testing.B) {
		cpuPer(b, 3, func() { verifyAll(b, ladder[:3]) })
	})
	b.Run("ladder/4", func(b *testing.B) {
		cpuPer(b, len(ladder), func() { verifyAll(b, ladder) })
	})
	b.Run("ladder/360+240", func(b *testing.B) {
		cpuPer(b, 2, func() { verifyAll(b, ladder[1:3]) })
	})
	seg2 := podiumSegment(b, 0x5eed0002)
	var two []Check
	for _, s := range []*Segment{seg, seg2} {
		for _, p := range Profiles {
			two = append(two, Check{Source: s.Fingerprint, Rendition: Rendition{Profile: p, Data: transcode(b, s.Data, p, encUltrafast, "")}})
		}
	}
	b.Run("batch/2-segments-x4", func(b *testing.B) {
		cpuPer(b, len(two), func() {
			if _, err := v.VerifyBatch(ctx, two); err != nil {
				b.Fatal(err)
			}
		})
	})
	for _, r := range ladder {
		b.Run("container/"+r.Profile.Name, func(b *testing.B) {
			cpuPer(b, 1, func() { v.checkContainer(seg.Fingerprint, r) })
		})
	}
	// A test's other cost: making its segment (drawing, encoding, the
	// fingerprint's decode and, since the references, their scaling).
	b.Run("generate", func(b *testing.B) {
		g := &Generator{}
		nonce := uint32(0x5eed1000)
		b.ResetTimer()
		start := cputime.Used()
		for b.Loop() {
			nonce++
			seg, err := g.Generate(ctx, nonce)
			if err != nil {
				b.Fatal(err)
			}
			seg.Fingerprint.Release()
		}
		b.ReportMetric(float64((cputime.Used()-start).Microseconds())/1000/float64(b.N), "cpu-ms/segment")
	})
	b.Run("ffmpeg-start", func(b *testing.B) {
		cpuPer(b, 1, func() {
			job := &ffmpegJob{args: []string{"-hide_banner", "-loglevel", "error", "-version"}}
			if _, _, err := job.run(ctx); err != nil {
				b.Fatal(err)
			}
		})
	})
}
