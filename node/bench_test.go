package node

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/podiumhq/podium/lpnet"
)

// BenchmarkTranscode measures a 2 s 720p segment transcoded into the three
// stock renditions, two ways in each iteration, side by side: ffmpeg alone
// with the node's own command line (ffmpeg-ms), and the whole node path over
// loopback — signed upload, credential checks, the same ffmpeg run, result,
// and the three downloads (node-ms). overhead-ms is their difference. On a
// busy machine wall times are noisy, so CPU time is reported too: ffmpeg's
// (children) and the Go process's (client and orchestrator together, an
// upper bound on the node's own cost) during the node path.
//
//	go test -run '^$' -bench Transcode -benchtime 10x ./node
func BenchmarkTranscode(b *testing.B) {
	loadSegments(b)
	profiles, err := lpnet.LookupProfiles(lpnet.DefaultLadder)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	in := filepath.Join(dir, "in.ts")
	if err := os.WriteFile(in, segHD, 0o600); err != nil {
		b.Fatal(err)
	}
	outs := make([]string, len(profiles))
	for i := range profiles {
		outs[i] = filepath.Join(dir, fmt.Sprintf("out%d.ts", i))
	}
	args, err := ffmpegArgs(in, outs, profiles, Look{}, "ultrafast", 0)
	if err != nil {
		b.Fatal(err)
	}

	uri := startOrchestratorB(b)
	c := newClient()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	info, err := c.GetOrchestrator(ctx, uri)
	if err != nil {
		b.Fatal(err)
	}

	var direct, full, directCPU, childCPU, selfCPU time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, c0 := cpuTimes()
		start := time.Now()
		if out, err := exec.CommandContext(ctx, "ffmpeg", args...).CombinedOutput(); err != nil {
			b.Fatalf("ffmpeg: %v: %s", err, out)
		}
		direct += time.Since(start)
		_, c1 := cpuTimes()
		directCPU += c1 - c0

		self0, child0 := cpuTimes()
		start = time.Now()
		res, err := c.Transcode(ctx, info, lpnet.Segment{ManifestID: "bench", Seq: int64(i), Data: segHD, Duration: 2 * time.Second, Profiles: profiles})
		if err != nil {
			b.Fatal(err)
		}
		full += time.Since(start)
		self1, child1 := cpuTimes()
		selfCPU += self1 - self0
		childCPU += child1 - child0
		if len(res.Renditions) != 3 {
			b.Fatalf("%d renditions", len(res.Renditions))
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(direct.Milliseconds())/n, "ffmpeg-ms")
	b.ReportMetric(float64(full.Milliseconds())/n, "node-ms")
	b.ReportMetric(float64((full-direct).Milliseconds())/n, "overhead-ms")
	b.ReportMetric(float64(directCPU.Milliseconds())/n, "ffmpeg-direct-cpu-ms")
	b.ReportMetric(float64(childCPU.Milliseconds())/n, "ffmpeg-cpu-ms")
	b.ReportMetric(float64(selfCPU.Milliseconds())/n, "go-cpu-ms")
}

// cpuTimes returns the user+system CPU time of this process and of its
// finished children.
func cpuTimes() (self, children time.Duration) {
	var s, c syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &s)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &c)
	tv := func(u syscall.Rusage) time.Duration {
		return time.Duration(u.Utime.Nano() + u.Stime.Nano())
	}
	return tv(s), tv(c)
}

// startOrchestratorB serves an honest orchestrator for a benchmark.
func startOrchestratorB(b *testing.B) string {
	b.Helper()
	o := &Orchestrator{Signer: lpnet.NewSigner(lpnet.KeyFromSeed(42))}
	ln, err := netListen()
	if err != nil {
		b.Fatal(err)
	}
	o.ServiceURI = "https://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Serve(ctx, ln) }()
	b.Cleanup(func() {
		cancel()
		<-done
	})
	return o.ServiceURI
}
