package storetest

import (
	"context"
	"math/rand"
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
)

func testAddStats(t *testing.T, open Opener) {
	ctx := context.Background()
	withID := func(s podium.Stats, id string) podium.Stats { s.TestID = id; return s }
	a := Record(1, "FRA", Base)
	b := Record(2, "MDW", Base+10)
	for _, tc := range []struct {
		name    string
		batches [][]podium.Stats
		added   []int
		stored  int
	}{
		{"OK", [][]podium.Stats{{a, b}}, []int{2}, 2},
		{"Empty", [][]podium.Stats{{}}, []int{0}, 0},
		{"DuplicateTestID", [][]podium.Stats{
			{withID(a, "t-1")},
			{withID(b, "t-1")}, // same test ID, other content: skipped
		}, []int{1, 0}, 1},
		{"DuplicateContent", [][]podium.Stats{{a}, {a}}, []int{1, 0}, 1},
		{"DuplicateInBatch", [][]podium.Stats{{a, a, withID(b, "t-2"), withID(b, "t-2")}}, []int{2}, 2},
		{"OtherContent", [][]podium.Stats{{a}, {func() podium.Stats { c := a; c.RoundTripTime += 1e-9; return c }()}}, []int{1, 1}, 2},
		{"NilErrorsSameAsEmpty", [][]podium.Stats{{a}, {func() podium.Stats { c := a; c.Errors = nil; return c }()}}, []int{1, 0}, 1},
		{"Idempotent", [][]podium.Stats{{a, b, withID(a, "t-3")}, {b, withID(a, "t-3"), a}}, []int{3, 0}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			var all []podium.Stats
			for i, batch := range tc.batches {
				add(t, st, tc.added[i], batch...)
				all = append(all, batch...)
			}
			q := podium.StatsQuery{Since: 0, Until: Base + 1000}
			if got := raw(t, st, q); len(got) != tc.stored {
				t.Fatalf("stored %d records, want %d: %+v", len(got), tc.stored, got)
			}
			checkAggregates(t, st, all, q)
		})
	}

	t.Run("FirstVersionKept", func(t *testing.T) {
		st := open(t)
		first, second := withID(a, "t-9"), withID(b, "t-9")
		add(t, st, 1, first)
		add(t, st, 0, second)
		got := raw(t, st, podium.StatsQuery{Until: Base + 1000})
		if len(got) != 1 || !reflect.DeepEqual(got[0], first) {
			t.Fatalf("stored %+v, want %+v", got, first)
		}
	})

	t.Run("EveryField", func(t *testing.T) {
		st := open(t)
		s := podium.Stats{
			Region: "SIN", Orchestrator: Orchestrator(7), Timestamp: Base + 3,
			SegmentsSent: 15, SegmentsReceived: 30, SuccessRate: 0.7333333333333333,
			SegDuration: 2.0088, UploadTime: 0.1 + 0.2, DownloadTime: 1e-7,
			TranscodeTime: 3599.999999, RoundTripTime: 1.947,
			Errors: []podium.StatsError{
				{ErrorCode: "Timeout", Message: "timed out \"quoted\" ✓", Count: 2},
				{ErrorCode: podium.ErrorCodeVerificationFailed, Count: 1},
			},
			TestID: "probe-fra:42", VerifiedRenditions: 29, VerificationFailures: 1,
		}
		nilErrors := Record(8, "FRA", Base+2)
		nilErrors.Errors = nil
		add(t, st, 2, s, nilErrors)
		got := raw(t, st, podium.StatsQuery{Until: Base + 1000})
		if want := []podium.Stats{s, nilErrors}; !reflect.DeepEqual(got, want) {
			t.Fatalf("RawStats:\n got  %+v\n want %+v", got, want)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		st := open(t)
		for _, s := range []podium.Stats{
			Record(1, "FRA", 0),
			Record(1, "FRA", -5),
			Record(1, "", Base),
		} {
			_, err := st.AddStats(ctx, []podium.Stats{Record(2, "FRA", Base), s})
			if code := podium.ErrorCode(err); code != podium.EINVALID {
				t.Errorf("AddStats(%+v): error %v (code %q), want %q", s, err, code, podium.EINVALID)
			}
		}
		if got := raw(t, st, podium.StatsQuery{Until: Base + 1000}); len(got) != 0 {
			t.Fatalf("a refused batch stored %d records", len(got))
		}
	})
}

func testAggregates(t *testing.T, open Opener) {
	st := open(t)
	zero := Record(3, "SIN", Base+600)
	zero.SuccessRate, zero.SegDuration, zero.RoundTripTime = 0, 0, 0
	zero.UploadTime, zero.DownloadTime, zero.TranscodeTime = 0, 0, 0
	zero.SegmentsSent, zero.SegmentsReceived = 0, 0
	recs := []podium.Stats{
		Record(1, "FRA", Base-1),
		Record(1, "FRA", Base),
		Record(1, "MDW", Base+299),
		Record(2, "FRA", Base+300),
		Record(2, "SIN", Base+86399),
		Record(1, "FRA", Base+86400),
		zero,
	}
	add(t, st, len(recs), recs...)
	o1, o3 := Orchestrator(1), Orchestrator(3)
	for _, tc := range []struct {
		name  string
		q     podium.StatsQuery
		tests int64 // total tests expected
	}{
		{"SinceInclusive", podium.StatsQuery{Since: Base, Until: Base + 1}, 1},
		{"UntilExclusive", podium.StatsQuery{Since: Base - 1, Until: Base}, 1},
		{"Day", podium.StatsQuery{Since: Base, Until: Base + 86400}, 5},
		{"DayAndEdges", podium.StatsQuery{Since: Base - 1, Until: Base + 86401}, 7},
		{"Empty", podium.StatsQuery{Since: Base, Until: Base}, 0},
		{"Reversed", podium.StatsQuery{Since: Base + 10, Until: Base}, 0},
		{"NoData", podium.StatsQuery{Since: Base + 1000, Until: Base + 2000}, 0},
		{"Everything", podium.StatsQuery{Since: -1 << 62, Until: 1<<63 - 1}, 7},
		{"Orchestrator", podium.StatsQuery{Orchestrator: o1, Since: 0, Until: Base + 86401}, 4},
		{"Region", podium.StatsQuery{Region: "FRA", Since: 0, Until: Base + 86401}, 4},
		{"OrchestratorAndRegion", podium.StatsQuery{Orchestrator: o1, Region: "MDW", Since: 0, Until: Base + 86401}, 1},
		{"UnknownOrchestrator", podium.StatsQuery{Orchestrator: Orchestrator(99), Since: 0, Until: Base + 86401}, 0},
		{"ZeroIsData", podium.StatsQuery{Orchestrator: o3, Since: Base, Until: Base + 86400}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkAggregates(t, st, recs, tc.q)
			var n int64
			for _, a := range aggregates(t, st, tc.q) {
				n += a.Tests
			}
			if n != tc.tests {
				t.Fatalf("%d tests in the window, want %d", n, tc.tests)
			}
		})
	}
}

func testRawStats(t *testing.T, open Opener) {
	st := open(t)
	x, y := Record(1, "MDW", Base), Record(2, "FRA", Base)
	z := Record(1, "FRA", Base)
	idA, idB := Record(1, "FRA", Base), Record(1, "FRA", Base)
	idA.TestID, idB.TestID = "a", "B" // byte order: "B" < "a", unlike most locales
	old := Record(1, "FRA", Base-600)
	newest := Record(2, "SIN", Base+600)
	add(t, st, 7, idB, y, old, x, newest, idA, z)
	// Newest first; at one timestamp by region, orchestrator, then key in
	// byte order (test IDs "B" < "a" < "sha256:…").
	order := []podium.Stats{newest, idB, idA, z, y, x, old}
	for _, tc := range []struct {
		name string
		q    podium.StatsQuery
		want []podium.Stats
	}{
		{"Order", podium.StatsQuery{Since: 0, Until: Base + 601}, order},
		{"Limit", podium.StatsQuery{Since: 0, Until: Base + 601, Limit: 3}, order[:3]},
		{"LimitAboveCount", podium.StatsQuery{Since: 0, Until: Base + 601, Limit: 100}, order},
		{"UntilExclusive", podium.StatsQuery{Since: Base - 600, Until: Base + 600}, order[1:]},
		{"SinceInclusive", podium.StatsQuery{Since: Base, Until: Base + 1}, order[1:6]},
		{"Orchestrator", podium.StatsQuery{Orchestrator: Orchestrator(2), Since: 0, Until: Base + 601}, []podium.Stats{newest, y}},
		{"Region", podium.StatsQuery{Region: "FRA", Since: 0, Until: Base + 601}, []podium.Stats{idB, idA, z, y, old}},
		{"NoData", podium.StatsQuery{Since: Base + 1000, Until: Base + 2000}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := raw(t, st, tc.q)
			if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
				t.Fatalf("RawStats(%+v):\n got  %+v\n want %+v", tc.q, got, tc.want)
			}
		})
	}
}

// testRandom checks the rollups against the records over many random windows
// of random data, before and after rebuilding the rollups.
func testRandom(t *testing.T, open Opener) {
	st := open(t)
	rng := rand.New(rand.NewSource(42))
	const span = 12 * 86400
	var recs []podium.Stats
	for b := 0; b < 6; b++ {
		batch := make([]podium.Stats, 500)
		for i := range batch {
			batch[i] = RandomRecord(rng, 6, Base-span/2, span)
		}
		if b > 0 { // a few repeats of earlier records: skipped
			batch[0], batch[1] = recs[rng.Intn(len(recs))], recs[rng.Intn(len(recs))]
		}
		_, err := st.AddStats(context.Background(), batch)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, batch...)
	}
	windows := func() []podium.StatsQuery {
		var qs []podium.StatsQuery
		for i := 0; i < 150; i++ {
			since := Base - span/2 - 3600 + rng.Int63n(span+7200)
			lengths := []int64{rng.Int63n(600), rng.Int63n(86400), rng.Int63n(8 * 86400), 7 * 86400, 345600}
			q := podium.StatsQuery{Since: since, Until: since + lengths[rng.Intn(len(lengths))]}
			if rng.Intn(4) == 0 {
				q.Since -= q.Since % 300 // aligned edges too
				q.Until -= q.Until % 1800
			}
			switch rng.Intn(6) {
			case 0:
				q.Orchestrator = Orchestrator(rng.Intn(6))
			case 1:
				q.Region = Regions[rng.Intn(len(Regions))]
			}
			qs = append(qs, q)
		}
		return qs
	}
	recs = Distinct(recs)
	for _, q := range windows() {
		checkAggregates(t, st, recs, q)
	}
	if r, ok := st.(Rebuilder); ok {
		if err := r.RebuildRollups(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, q := range windows() {
			checkAggregates(t, st, recs, q)
		}
	}
}

// testConcurrent stores overlapping batches from several goroutines while
// the records are folded: every record is stored once and counted once.
func testConcurrent(t *testing.T, open Opener) {
	st := open(t)
	rng := rand.New(rand.NewSource(7))
	distinct := make([]podium.Stats, 1200)
	for i := range distinct {
		distinct[i] = RandomRecord(rng, 10, Base-86400, 2*86400)
		distinct[i].TestID = ""
		if i%2 == 0 {
			distinct[i].TestID = "c-" + Orchestrator(i)
		}
	}
	var batches [][]podium.Stats
	for i := 0; i < len(distinct); i += 50 {
		batches = append(batches, distinct[i:i+50])
	}
	// Each record is posted twice, by different workers, in shuffled batches.
	var again [][]podium.Stats
	for _, b := range batches {
		c := append([]podium.Stats(nil), b...)
		rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
		again = append(again, c)
	}
	all := append(batches, again...)
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	stopFolding := foldWhile(t, st) // folds race the writers for the fold mark
	if got := addConcurrently(t, st, all, 6); got != len(distinct) {
		t.Fatalf("added %d, want %d", got, len(distinct))
	}
	stopFolding()
	q := podium.StatsQuery{Since: 0, Until: Base + 86400}
	if got := raw(t, st, q); len(got) != len(distinct) {
		t.Fatalf("stored %d, want %d", len(got), len(distinct))
	}
	checkAggregates(t, st, distinct, q)
	checkAggregates(t, st, distinct, podium.StatsQuery{Since: Base - 3000, Until: Base + 7777})
}

// testLargeBatch stores one big batch in one call.
func testLargeBatch(t *testing.T, open Opener) {
	st := open(t)
	rng := rand.New(rand.NewSource(9))
	recs := make([]podium.Stats, 10000)
	for i := range recs {
		recs[i] = RandomRecord(rng, 100, Base-3*86400, 7*86400)
		recs[i].TestID = Orchestrator(i)
	}
	add(t, st, len(recs), recs...)
	add(t, st, 0, recs[:1000]...)
	checkAggregates(t, st, recs, podium.StatsQuery{Since: Base - 86400*2 - 77, Until: Base + 3*86400 + 1234})
	if got := raw(t, st, podium.StatsQuery{Since: 0, Until: Base + 7*86400, Limit: 10}); len(got) != 10 {
		t.Fatalf("RawStats with limit 10 returned %d", len(got))
	}
}
