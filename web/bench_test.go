package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/web"
)

// BenchmarkIngest posts signed records over HTTP from concurrent posters
// (GOMAXPROCS × 128 goroutines) through the group-commit batcher into a real
// store, and checks that the stored count equals the acknowledged count.
func BenchmarkIngest(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchmarkIngest(b, db, 1)
	})
	for _, writers := range []int{1, 4} {
		b.Run(fmt.Sprintf("postgres-writers-%d", writers), func(b *testing.B) {
			benchmarkIngest(b, openPostgres(b), writers)
		})
	}
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

func benchmarkIngest(b *testing.B, store podium.StatsStore, writers int) {
	srv, err := web.NewServer(store, web.Config{Secret: testSecret, Writers: writers})
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
	start := time.Now()
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
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(acked.Load())/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(acked.Load())/batchCount(b, hs.URL), "records/commit")
	recs, err := store.RawStats(context.Background(), podium.StatsQuery{Since: 0, Until: now + 1})
	if err != nil {
		b.Fatal(err)
	}
	if int64(len(recs)) != acked.Load() {
		b.Fatalf("stored %d, acknowledged %d", len(recs), acked.Load())
	}
}
