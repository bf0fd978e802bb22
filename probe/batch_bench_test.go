package probe_test

import (
	"testing"
	"time"

	"github.com/podiumhq/podium/internal/cputime"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/probe"
)

// BenchmarkVerifyCycle measures what verifying costs the prober in a cycle:
// 8 tests of different orchestrators, each its own podium segment
// transcoded by the reference node into the ladder. Every iteration
// verifies the same cycle with each verifier in turn (the order rotates):
// each test on its own (MediaVerifier, one ffmpeg per segment, as the
// prober did before batching), and BatchVerifier with batches of 2, 4 and
// 8 segments, the tests of a batch asking at once as concurrent tests do.
// One ffmpeg runs at a time in every case, so none gains from less
// contention. Each reports the CPU of this process and of its ffmpeg
// children (getrusage), ffmpeg's start and the container layer included,
// per rendition, and the wall time of the cycle's verification.
//
//	go test -run '^$' -bench VerifyCycle -benchtime 5x ./probe
func BenchmarkVerifyCycle(b *testing.B) {
	for _, ladder := range []struct {
		name     string
		profiles []string
	}{
		{"stock-720+360+240", lpnet.DefaultLadder},
		{"prober-360+240", batchProfiles},
	} {
		b.Run(ladder.name, func(b *testing.B) {
			const tests = 8
			cycle := makeBatchTests(b, 0xc7c1e000, ladder.profiles, tests, func(int) node.Look { return node.Look{} })
			renditions := tests * len(ladder.profiles)
			verifiers := []struct {
				name  string
				v     probe.Verifier
				chunk int
			}{
				{"alone", probe.MediaVerifier{Verifier: &media.Verifier{}}, 1},
				{"batch2", &probe.BatchVerifier{Verifier: &media.Verifier{}, Max: 2, Window: time.Hour}, 2},
				{"batch4", &probe.BatchVerifier{Verifier: &media.Verifier{}, Max: 4, Window: time.Hour}, 4},
				{"batch8", &probe.BatchVerifier{Verifier: &media.Verifier{}, Max: 8, Window: time.Hour}, 8},
			}
			cpu := make([]time.Duration, len(verifiers))
			wall := make([]time.Duration, len(verifiers))
			n := 0
			for b.Loop() {
				for k := range verifiers {
					k = (k + n) % len(verifiers)
					c0, w0 := cputime.Used(), time.Now()
					vds, errs := verifyChunks(verifiers[k].v, cycle, verifiers[k].chunk)
					cpu[k] += cputime.Used() - c0
					wall[k] += time.Since(w0)
					for i := range cycle {
						if errs[i] != nil {
							b.Fatalf("%s: test %d: %v", verifiers[k].name, i, errs[i])
						}
						for _, vd := range vds[i] {
							if !vd.OK {
								b.Fatalf("%s: test %d: honest rendition rejected: %+v", verifiers[k].name, i, vd)
							}
						}
					}
				}
				n++
			}
			for k, vf := range verifiers {
				b.ReportMetric(float64(cpu[k].Microseconds())/1000/float64(n*renditions), vf.name+"-cpu-ms/rendition")
				b.ReportMetric(float64(wall[k].Milliseconds())/float64(n), vf.name+"-wall-ms/cycle")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// verifyChunks verifies the tests chunk at a time, the tests of a chunk
// all at once.
func verifyChunks(v probe.Verifier, tests []batchTest, chunk int) ([][]probe.Verdict, []error) {
	var vds [][]probe.Verdict
	var errs []error
	for len(tests) > 0 {
		n := min(chunk, len(tests))
		vd, err := verifyAll(v, background(n), tests[:n])
		vds, errs = append(vds, vd...), append(errs, err...)
		tests = tests[n:]
	}
	return vds, errs
}
