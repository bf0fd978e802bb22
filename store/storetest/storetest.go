// Package storetest is the one test body every podium.StatsStore must pass.
// Each backend's tests call Run with a function opening a fresh, empty store.
package storetest

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/podiumhq/podium"
)

// Scanner is implemented by stores that can answer a query by a plain scan
// of the raw records (the baseline their rollups are checked against).
type Scanner interface {
	ScanAggregates(ctx context.Context, q podium.StatsQuery) ([]podium.Aggregate, error)
}

// Rebuilder is implemented by stores that can recompute their rollups.
type Rebuilder interface {
	RebuildRollups(ctx context.Context) error
}

// Opener opens a fresh, empty store for one test; it registers its own
// cleanup with t.
type Opener func(t *testing.T) podium.StatsStore

// Base is the time around which the suite's records lie: a Monday noon UTC,
// so windows cross every bucket width's boundary.
const Base = int64(1_700_481_600)

// Run runs the shared store suite against stores made by open.
func Run(t *testing.T, open Opener) {
	t.Run("AddStats", func(t *testing.T) { testAddStats(t, open) })
	t.Run("Aggregates", func(t *testing.T) { testAggregates(t, open) })
	t.Run("RawStats", func(t *testing.T) { testRawStats(t, open) })
	t.Run("Costs", func(t *testing.T) { testCosts(t, open) })
	t.Run("Random", func(t *testing.T) { testRandom(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("LargeBatch", func(t *testing.T) { testLargeBatch(t, open) })
	t.Run("Import", func(t *testing.T) { testImport(t, open) })
	t.Run("Ping", func(t *testing.T) {
		if err := open(t).Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// Orchestrator returns the address of test orchestrator i.
func Orchestrator(i int) string { return fmt.Sprintf("0x%040x", 0xa0000+i) }

// Regions used by the suite.
var Regions = []string{"FRA", "MDW", "SIN"}

// Record returns a plausible record of orchestrator i in region at ts.
func Record(i int, region string, ts int64) podium.Stats {
	return podium.Stats{
		Region: region, Orchestrator: Orchestrator(i), Timestamp: ts,
		SegmentsSent: 15, SegmentsReceived: 45, SuccessRate: 1,
		SegDuration: 2.0088, UploadTime: 0.7765, DownloadTime: 0.9568,
		TranscodeTime: 0.2135, RoundTripTime: 1.947,
		Errors: []podium.StatsError{},
	}
}

// RandomRecord returns a record with random fractional values, sometimes
// zeros and errors, and a test ID about half of the time.
func RandomRecord(rng *rand.Rand, orchestrators int, since, span int64) podium.Stats {
	s := Record(rng.Intn(orchestrators), Regions[rng.Intn(len(Regions))], since+rng.Int63n(span))
	frac := func(max float64) float64 {
		if rng.Intn(10) == 0 {
			return 0
		}
		return rng.Float64() * max
	}
	s.SegmentsSent = rng.Intn(20)
	s.SegmentsReceived = rng.Intn(60)
	s.SuccessRate = frac(1)
	s.SegDuration, s.UploadTime, s.DownloadTime = frac(4), frac(3), frac(3)
	s.TranscodeTime, s.RoundTripTime = frac(2), frac(8)
	s.VerifiedRenditions, s.VerificationFailures = rng.Intn(40), rng.Intn(3)
	if rng.Intn(4) == 0 {
		s.Errors = []podium.StatsError{{ErrorCode: "Timeout", Message: "segment timed out", Count: 1 + rng.Intn(3)}}
	}
	if rng.Intn(2) == 0 {
		s.TestID = fmt.Sprintf("t-%016x", rng.Uint64())
	}
	return s
}

// Expect computes, from the records themselves, what Aggregates(q) must
// return: the sums of every distinct record in the window, sorted.
func Expect(recs []podium.Stats, q podium.StatsQuery) []podium.Aggregate {
	sums := make(map[[2]string]podium.Aggregate)
	for _, s := range Distinct(recs) {
		if !matches(s, q) {
			continue
		}
		id := [2]string{s.Orchestrator, s.Region}
		sums[id] = sums[id].Add(s.Aggregate())
	}
	out := make([]podium.Aggregate, 0, len(sums))
	for _, a := range sums {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Orchestrator != out[j].Orchestrator {
			return out[i].Orchestrator < out[j].Orchestrator
		}
		return out[i].Region < out[j].Region
	})
	return out
}

// Distinct returns recs without repeats of a key, keeping the first.
func Distinct(recs []podium.Stats) []podium.Stats {
	seen := make(map[string]bool, len(recs))
	out := make([]podium.Stats, 0, len(recs))
	for _, s := range recs {
		if k := s.Key(); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

func matches(s podium.Stats, q podium.StatsQuery) bool {
	return s.Timestamp >= q.Since && s.Timestamp < q.Until &&
		(q.Orchestrator == "" || s.Orchestrator == q.Orchestrator) &&
		(q.Region == "" || s.Region == q.Region)
}

// add stores recs and checks how many were new.
func add(t *testing.T, st podium.StatsStore, want int, recs ...podium.Stats) {
	t.Helper()
	got, err := st.AddStats(context.Background(), recs)
	if err != nil {
		t.Fatalf("AddStats: %v", err)
	}
	if got != want {
		t.Fatalf("AddStats added %d, want %d", got, want)
	}
}

// aggregates queries st and, when it can scan, checks the scan agrees; when
// it folds, it folds every record and checks the answer is unchanged.
func aggregates(t *testing.T, st podium.StatsStore, q podium.StatsQuery) []podium.Aggregate {
	t.Helper()
	ctx := context.Background()
	got, err := st.Aggregates(ctx, q)
	if err != nil {
		t.Fatalf("Aggregates(%+v): %v", q, err)
	}
	if sc, ok := st.(Scanner); ok {
		scan, err := sc.ScanAggregates(ctx, q)
		if err != nil {
			t.Fatalf("ScanAggregates(%+v): %v", q, err)
		}
		if !equal(got, scan) {
			t.Fatalf("Aggregates(%+v) differs from the raw scan:\n got  %+v\n scan %+v", q, got, scan)
		}
	}
	if _, ok := st.(Folder); ok {
		foldAll(t, st)
		folded, err := st.Aggregates(ctx, q)
		if err != nil {
			t.Fatalf("Aggregates(%+v) after folding: %v", q, err)
		}
		if !equal(got, folded) {
			t.Fatalf("Aggregates(%+v) changed when the records were folded:\n before %+v\n after  %+v", q, got, folded)
		}
	}
	return got
}

// checkAggregates compares Aggregates(q) with the sums computed from recs.
func checkAggregates(t *testing.T, st podium.StatsStore, recs []podium.Stats, q podium.StatsQuery) {
	t.Helper()
	if got, want := aggregates(t, st, q), Expect(recs, q); !equal(got, want) {
		t.Fatalf("Aggregates(%+v):\n got  %+v\n want %+v", q, got, want)
	}
}

// equal compares aggregate lists, nil and empty being equal.
func equal(a, b []podium.Aggregate) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

// raw lists the records of q.
func raw(t *testing.T, st podium.StatsStore, q podium.StatsQuery) []podium.Stats {
	t.Helper()
	got, err := st.RawStats(context.Background(), q)
	if err != nil {
		t.Fatalf("RawStats(%+v): %v", q, err)
	}
	return got
}

// addConcurrently stores batches from several goroutines and returns the
// total added.
func addConcurrently(t *testing.T, st podium.StatsStore, batches [][]podium.Stats, workers int) int {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
		first error
	)
	next := make(chan []podium.Stats)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range next {
				n, err := st.AddStats(context.Background(), b)
				mu.Lock()
				total += n
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, b := range batches {
		next <- b
	}
	close(next)
	wg.Wait()
	if first != nil {
		t.Fatalf("concurrent AddStats: %v", first)
	}
	return total
}
