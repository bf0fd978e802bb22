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
// (GOMAXPROCS × 128 goroutines) through the group-commit batcher into a real
// store, and checks that the stored count equals the acknowledged count.
func BenchmarkIngest(b *testing.B) {
	for _, bb := range []struct {
		name string
		open opener
		cfg  web.Config
	}{
		{"sqlite", openSQLite, web.Config{}}, // as podium serve runs it: the store's group commit
		{"sqlite-batcher", func(t testing.TB, _ *web.Config) podium.StatsStore { return openSQLite(t, nil) }, web.Config{}},
		{"postgres-writers-1", openPostgres, web.Config{Writers: 1}},
		{"postgres-writers-4", openPostgres, web.Config{Writers: 4}},
		{"postgres-store-group", openPostgres, web.Config{StoreGroupCommit: true}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			cfg := bb.cfg
			benchmarkIngest(b, bb.open(b, &cfg), cfg)
		})
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

// batchCount reads the number of store commits from /metrics.
func batchCount(b *testing.B, url string) float64 {
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "podium_ingest_batch_records_count "); ok {
			n, _ := strconv.ParseFloat(v, 64)
			return n
		}
	}
	b.Fatal("no podium_ingest_batch_records_count in /metrics")
	return 0
}

func benchmarkIngest(b *testing.B, store podium.StatsStore, cfg web.Config) {
	cfg.Secret = testSecret
	srv, err := web.NewServer(store, cfg)
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
				Timestamp: now - i%3600, SegmentsSent: 15, SegmentsReceived: 45, SuccessRate: 1,
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
	if commits := batchCount(b, hs.URL); commits > 0 {
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
