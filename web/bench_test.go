package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// BenchmarkIngest posts signed records over HTTP from concurrent posters
// (GOMAXPROCS × 128 goroutines), one AddStats call each as podium serve
// makes them, into each real store, and checks that the stored count equals
// the acknowledged count. The records' tests ran in the last 5 minutes, as
// a live leaderboard receives them; the -late variants' in the last hour,
// so most arrive after their buckets were sealed and also update the packs
// (store/rollup/packs.go), as a backfill or a long-delayed prober does.
func BenchmarkIngest(b *testing.B) {
	for _, bb := range []struct {
		name string
		open opener
		age  int64 // the oldest test, in seconds
	}{
		{"sqlite", openSQLite, 300},
		{"postgres", openPostgres, 300},
		{"sqlite-late", openSQLite, 3600},
		{"postgres-late", openPostgres, 3600},
	} {
		b.Run(bb.name, func(b *testing.B) { benchmarkIngest(b, bb.open(b), bb.age) })
	}
}

// cpuTime is the user+system CPU time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// metric reads a counter from /metrics.
func metric(b *testing.B, url, name string) float64 {
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatalf("no %s in /metrics", name)
	return 0
}

func benchmarkIngest(b *testing.B, store podium.StatsStore, age int64) {
	srv, err := web.NewServer(store, web.Config{Secret: testSecret})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	defer srv.Close(context.Background())
	c := web.NewClient(hs.URL, testSecret)
	now := time.Now().Unix()
	var seq, acked atomic.Int64
	b.SetParallelism(128)
	b.ResetTimer()
	start, cpuStart := time.Now(), cpuTime(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := seq.Add(1)
			rec := podium.Stats{Region: []string{"FRA", "MDW", "SIN"}[i%3], Orchestrator: fmt.Sprintf("0x%040x", i%100+1),
				Timestamp: now - i%age, SegmentsSent: 15, SegmentsReceived: 45, SuccessRate: 1,
				SegDuration: 2, UploadTime: 0.5, DownloadTime: 0.4, TranscodeTime: 0.3, RoundTripTime: 1.2,
				TestID: fmt.Sprintf("bench-%d-%d", os.Getpid(), i)}
			res, err := c.PostStats(context.Background(), rec)
			if err != nil || res.Status != web.StatusStored {
				b.Errorf("post %d: %+v, %v", i, res, err)
				return
			}
			acked.Add(1)
		}
	})
	elapsed, cpu := time.Since(start), cpuTime(b)-cpuStart
	b.StopTimer()
	// CPU seconds of this process (server, client and, for SQLite, the
	// database): records per CPU-second holds however busy the machine is.
	b.ReportMetric(float64(acked.Load())/cpu.Seconds(), "records/cpu-s")
	b.ReportMetric(float64(acked.Load())/elapsed.Seconds(), "records/s")
	if commits := metric(b, hs.URL, "podium_ingest_group_commits_total"); commits > 0 {
		b.ReportMetric(float64(acked.Load())/commits, "records/commit")
	}
	recs, err := store.RawStats(context.Background(), podium.StatsQuery{Since: 0, Until: now + 1})
	if err != nil {
		b.Fatal(err)
	}
	if int64(len(recs)) != acked.Load() {
		b.Fatalf("stored %d, acknowledged %d", len(recs), acked.Load())
	}
}
