package rollup

import (
	"math"
	"math/rand"
	"sort"
	"testing"
)

func TestAIBin_Monotone(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	vals := []float64{math.SmallestNonzeroFloat64, 1e-9, 0.001, 0.5, 1, 1.0000001, 2, 3599.999, 3600}
	for i := 0; i < 10000; i++ {
		vals = append(vals, rng.Float64()*3600, rng.ExpFloat64())
	}
	sort.Float64s(vals)
	for i := 1; i < len(vals); i++ {
		if AIBin(vals[i-1]) > AIBin(vals[i]) {
			t.Fatalf("bin(%v) = %d > bin(%v) = %d", vals[i-1], AIBin(vals[i-1]), vals[i], AIBin(vals[i]))
		}
	}
	// About 128 bins per doubling.
	if n := AIBin(2) - AIBin(1); n != 128 {
		t.Fatalf("%d bins between 1 and 2", n)
	}
}

func TestMedianRanks(t *testing.T) {
	if _, _, ok := MedianRanks(nil); ok {
		t.Fatal("median of nothing")
	}
	for _, tc := range []struct {
		hist   []BinCount
		lo, hi BinRank
	}{
		{[]BinCount{{7, 1}}, BinRank{7, 0, 1}, BinRank{7, 0, 1}},
		{[]BinCount{{7, 2}}, BinRank{7, 0, 2}, BinRank{7, 1, 2}},
		{[]BinCount{{1, 1}, {9, 1}}, BinRank{1, 0, 1}, BinRank{9, 0, 1}},
		{[]BinCount{{1, 3}, {2, 1}, {9, 3}}, BinRank{2, 0, 1}, BinRank{2, 0, 1}},
		{[]BinCount{{1, 3}, {2, 0}, {9, 3}}, BinRank{1, 2, 3}, BinRank{9, 0, 3}},
	} {
		lo, hi, ok := MedianRanks(tc.hist)
		if !ok || lo != tc.lo || hi != tc.hi {
			t.Errorf("MedianRanks(%v) = %v %v, want %v %v", tc.hist, lo, hi, tc.lo, tc.hi)
		}
	}
}

func TestMedianFloat(t *testing.T) {
	for _, tc := range []struct {
		vals []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{3, 1}, 2},
		{[]float64{5, 1, 4, 2}, 3},
		{[]float64{0.1, 0.2}, 0.15000000000000002}, // 0.1 + (0.2-0.1)*0.5 in float64, as PostgreSQL computes it
	} {
		if got, ok := MedianFloat(tc.vals); !ok || got != tc.want {
			t.Errorf("MedianFloat(%v) = %v, want %v", tc.vals, got, tc.want)
		}
	}
}

func TestPlanAI(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 2000; i++ {
		since := 1_700_000_000 + rng.Int63n(10*86400)
		until := since + rng.Int63n(9*86400)
		p := PlanAI(since, until)
		var covered int64
		for _, r := range p.Raw {
			if r.To-r.From >= 3600 && r.From%3600 == 0 {
				t.Fatalf("raw edge %v is a whole hour", r)
			}
			covered += r.To - r.From
		}
		for _, s := range p.Spans {
			if s.From%s.Width != 0 || s.To%s.Width != 0 {
				t.Fatalf("span %v not aligned", s)
			}
			covered += s.To - s.From
		}
		if covered != until-since {
			t.Fatalf("plan of [%d, %d) covers %d s: %+v", since, until, covered, p)
		}
		if len(p.Spans) > 3 || len(p.Raw) > 2 {
			t.Fatalf("plan too long: %+v", p)
		}
	}
}
