package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
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
// (GOMAXPROCS × 128 goroutines; the -16 variants 16, one record per POST on
// kept-alive connections, as issue 20's side-by-side runs), one AddStats
// call each as podium serve makes them, into each real store, with the
// store's upkeep folding and packing as in podium serve, and checks that
// the stored count equals the acknowledged count. The figures include
// folding what is left when the posts end: deferred work is still work.
// The records' tests ran in the last 5 minutes, as a live leaderboard
// receives them; the -late variants' in the last hour, so most are folded
// after their buckets were sealed and also update the packs
// (store/rollup/packs.go), as a backfill or a long-delayed prober does.
func BenchmarkIngest(b *testing.B) {
	for _, bb := range []struct {
		name    string
		open    opener
		age     int64 // the oldest test, in seconds
		posters int   // goroutines per GOMAXPROCS
	}{
		{"sqlite", openSQLite, 300, 128},
		{"postgres", openPostgres, 300, 128},
		{"sqlite-16", openSQLite, 300, 0},
		{"postgres-16", openPostgres, 300, 0},
		{"sqlite-late", openSQLite, 3600, 128},
		{"postgres-late", openPostgres, 3600, 128},
	} {
		b.Run(bb.name, func(b *testing.B) { benchmarkIngest(b, bb.open(b), bb.age, bb.posters) })
	}
}

// upkeeper is a store with a background upkeep (folds and packs), as the
// stores of podium serve are.
type upkeeper interface {
	StartPacker(now func() time.Time)
	Fold(ctx context.Context) (int, error)
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

// benchmarkIngest posts b.N records with posters goroutines per GOMAXPROCS,
// or 16 in all when posters is 0.
func benchmarkIngest(b *testing.B, store podium.StatsStore, age int64, posters int) {
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
	if posters == 0 {
		posters = max(1, 16/runtime.GOMAXPROCS(0))
	}
	b.SetParallelism(posters)
	up, folds := store.(upkeeper)
	if folds {
		up.StartPacker(time.Now)
	}
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
	for folds { // fold what the upkeep has not yet
		n, err := up.Fold(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		folds = n > 0
	}
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
