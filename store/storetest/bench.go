package storetest

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/benchset"
)

// The benchmark data set (internal/benchset).
const (
	BenchOrchestrators = benchset.Orchestrators
	BenchRegions       = benchset.Regions
	BenchInterval      = benchset.Interval
	BenchDays          = benchset.Days
	BenchTicks         = benchset.Ticks
	BenchSize          = benchset.Size
	BenchStart         = benchset.Start
)

// BenchRegion returns the ID of benchmark region r.
func BenchRegion(r int) string { return benchset.Region(r) }

// BenchRecord returns record i of the benchmark data set.
func BenchRecord(i int) podium.Stats { return benchset.Record(i) }

// BenchWindows returns n "last 7 days" windows ending just after the data
// set, each shifted by a few seconds so no edge is aligned.
func BenchWindows(n int) []podium.StatsQuery {
	rng := rand.New(rand.NewSource(1))
	qs := make([]podium.StatsQuery, n)
	for i := range qs {
		until := BenchStart + BenchDays*86400 + rng.Int63n(600)
		qs[i] = podium.StatsQuery{Since: until - BenchDays*86400, Until: until}
	}
	return qs
}

// BenchAggregates measures, in one run, the p50 latency of st.Aggregates and
// of the full-scan baseline over 7-day windows of the benchmark data set
// (already loaded in st), checks that both agree, and reports both and
// their ratio.
//
// serverCPU, when not nil, returns the CPU time used so far by the database
// server process answering st's queries; the average per rollup query is
// reported too (a server's share of the work, which this process's CPU time
// does not show).
func BenchAggregates(b *testing.B, st podium.StatsStore, rollupRuns, scanRuns int, serverCPU func() time.Duration) {
	sc, ok := st.(Scanner)
	if !ok {
		b.Fatalf("%T cannot scan", st)
	}
	ctx := context.Background()
	qs := BenchWindows(rollupRuns)
	got, err := st.Aggregates(ctx, qs[0])
	if err != nil {
		b.Fatal(err)
	}
	want, err := sc.ScanAggregates(ctx, qs[0])
	if err != nil {
		b.Fatal(err)
	}
	if !equal(got, want) || len(got) != BenchOrchestrators*BenchRegions {
		b.Fatalf("rollup answer (%d series) differs from the raw scan (%d series)", len(got), len(want))
	}
	b.ResetTimer()
	var server0 time.Duration
	if serverCPU != nil {
		server0 = serverCPU()
	}
	rollup, rollupCPU := measure(b, rollupRuns, func(i int) error { _, err := st.Aggregates(ctx, qs[i]); return err })
	if serverCPU != nil {
		b.ReportMetric(ms((serverCPU()-server0)/time.Duration(rollupRuns)), "rollup-server-cpu-avg-ms")
	}
	scan, scanCPU := measure(b, scanRuns, func(i int) error { _, err := sc.ScanAggregates(ctx, qs[i]); return err })
	b.StopTimer()
	b.ReportMetric(ms(rollup), "rollup-p50-ms")
	b.ReportMetric(ms(scan), "scan-p50-ms")
	b.ReportMetric(float64(scan)/float64(rollup), "speedup-x")
	// CPU time of this process: the whole query for an embedded database,
	// only the client's share for a server. It shows the work when other
	// processes share the machine.
	b.ReportMetric(ms(rollupCPU), "rollup-cpu-p50-ms")
	b.ReportMetric(ms(scanCPU), "scan-cpu-p50-ms")
	b.ReportMetric(0, "ns/op")
}

// measure runs f n times and returns the median wall time and the median
// CPU time of this process.
func measure(b *testing.B, n int, f func(i int) error) (wall, cpu time.Duration) {
	d := make([]time.Duration, n)
	c := make([]time.Duration, n)
	for i := range d {
		start, cpu0 := time.Now(), processCPU()
		if err := f(i); err != nil {
			b.Fatal(err)
		}
		d[i], c[i] = time.Since(start), processCPU()-cpu0
	}
	return median(d), median(c)
}

func median(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchAddStats measures AddStats throughput in batches of batch records at
// the current time, as a leaderboard receives them, and reports records/s.
func BenchAddStats(b *testing.B, st podium.StatsStore, batch int) {
	ctx := context.Background()
	recs := make([]podium.Stats, batch)
	b.ResetTimer()
	start := time.Now()
	n := 0
	for i := 0; i < b.N; i++ {
		for j := range recs {
			recs[j] = BenchRecord(n % (BenchOrchestrators * BenchRegions * BenchTicks))
			recs[j].TestID = fmt.Sprintf("a%09d", n)
			n++
		}
		added, err := st.AddStats(ctx, recs)
		if err != nil {
			b.Fatal(err)
		}
		if added != batch {
			b.Fatalf("added %d of %d", added, batch)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "records/s")
}

// BenchAddStatsConcurrent measures AddStats throughput with posters
// goroutines each storing one record per call, as concurrent HTTP posts do,
// and checks that every record was stored once.
func BenchAddStatsConcurrent(b *testing.B, st podium.StatsStore, posters int) {
	ctx := context.Background()
	var (
		wg    sync.WaitGroup
		next  atomic.Int64
		added atomic.Int64
		total = int64(b.N * posters)
	)
	b.ResetTimer()
	start := time.Now()
	for p := 0; p < posters; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1) - 1
				if n >= total {
					return
				}
				s := BenchRecord(int(n) % BenchSize)
				s.TestID = fmt.Sprintf("c%09d", n)
				k, err := st.AddStats(ctx, []podium.Stats{s})
				if err != nil {
					b.Error(err)
					return
				}
				added.Add(int64(k))
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(total)/time.Since(start).Seconds(), "records/s")
	if added.Load() != total {
		b.Fatalf("acknowledged %d new records, want %d", added.Load(), total)
	}
}

// ImportStore is a store podium import loads: the bulk path, then folding
// and packing in the foreground.
type ImportStore interface {
	Importer
	Fold(ctx context.Context) (int, error)
	Pack(ctx context.Context, horizon int64) error
}

// BenchImport measures podium import's store work for the first b.N
// records of the benchmark data set, in batches of batch: the bulk appends,
// then folding every record and packing the week, as the command does. It
// reports records per second of the whole and of each phase (a store that
// folds as it appends, as SQLite's does, reports that in the appends), and
// checks the answers of a 7-day window against the raw scan afterwards.
func BenchImport(b *testing.B, st ImportStore, batch int) {
	ctx := context.Background()
	recs := make([]podium.Stats, 0, batch)
	b.ResetTimer()
	start := time.Now()
	added := 0
	for i := 0; i < b.N; i++ {
		recs = append(recs, BenchRecord(i%BenchSize))
		if len(recs) == batch || i == b.N-1 {
			n, err := st.ImportStats(ctx, recs)
			if err != nil {
				b.Fatal(err)
			}
			added += n
			recs = recs[:0]
		}
	}
	appended := time.Since(start)
	for {
		n, err := st.Fold(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	folded := time.Since(start)
	if err := st.Pack(ctx, BenchStart+BenchDays*86400); err != nil {
		b.Fatal(err)
	}
	total := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(added)/total.Seconds(), "records/s")
	b.ReportMetric(float64(added)/appended.Seconds(), "append-records/s")
	b.ReportMetric(float64(added)/(folded-appended).Seconds(), "fold-records/s")
	b.ReportMetric((total - folded).Seconds(), "pack-s")
	if added != min(b.N, BenchSize) {
		b.Fatalf("imported %d new records, want %d", added, min(b.N, BenchSize))
	}
	if sc, ok := st.(Scanner); ok {
		q := BenchWindows(1)[0]
		got, err := st.Aggregates(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		want, err := sc.ScanAggregates(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if !equal(got, want) {
			b.Fatal("after the import, Aggregates differs from the raw scan")
		}
	}
}
