package storetest

import (
	"context"
	"math/rand"
	"sync"
	"testing"

	"github.com/podiumhq/podium"
)

// Packer is a store that packs sealed rollup cells (store/rollup/packs.go).
type Packer interface {
	podium.StatsStore
	Rebuilder
	Pack(ctx context.Context, horizon int64) error
	Horizon(ctx context.Context) (int64, error)
	// CheckPacks reports any difference between the packs and the sums of
	// the sealed rollup cells, and any packed row with more entries than a
	// block has series.
	CheckPacks(ctx context.Context) error
}

// packSpan is the time the records of the pack tests spread over.
const packSpan = 10 * 86400

// packSince is when they start.
const packSince = Base - packSpan/2

// RunPacks runs the pack tests on stores opened by open, which must not run
// a packer of their own: the tests choose when cells are sealed.
func RunPacks(t *testing.T, open func(t *testing.T) Packer) {
	t.Run("Exact", func(t *testing.T) { testPackExact(t, open(t)) })
	t.Run("Concurrent", func(t *testing.T) { testPackConcurrent(t, open(t)) })
}

// testPackExact seals cells at chosen horizons between batches of records,
// late ones included: the answers stay the records' sums, and the packs
// hold exactly the sealed cells' sums.
func testPackExact(t *testing.T, st Packer) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(7))
	var recs []podium.Stats
	add := func(n int, from, span int64) {
		t.Helper()
		batch := make([]podium.Stats, n)
		for i := range batch {
			batch[i] = RandomRecord(rng, 12, from, span)
		}
		if _, err := st.AddStats(ctx, batch); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, batch...)
		if rng.Intn(2) == 0 { // the rest are folded after a later pack
			foldAll(t, st)
		}
	}
	pack := func(h int64) {
		t.Helper()
		if err := st.Pack(ctx, h); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Horizon(ctx); err != nil || got < h-h%300 {
			t.Fatalf("horizon %d (%v) after packing up to %d", got, err, h)
		}
	}

	pack(packSince + 86400)       // no records yet: the horizon just moves
	add(600, packSince, packSpan) // the first day's are late already
	checkPacked(t, st, recs, rng, "first day sealed before its records came")

	h1 := packSince + packSpan/3 + 123
	pack(h1)
	checkPacked(t, st, recs, rng, "first third sealed")

	for i := 0; i < 40; i++ { // late records, a few at a time: rows grow and are repacked
		add(5, packSince, h1-packSince)
	}
	add(300, h1, packSince+packSpan-h1)
	checkPacked(t, st, recs, rng, "late records appended")

	pack(packSince + packSpan)
	if err := st.Pack(ctx, h1); err != nil { // an older horizon changes nothing
		t.Fatal(err)
	}
	if got, _ := st.Horizon(ctx); got != packSince+packSpan-(packSince+packSpan)%300 {
		t.Fatalf("horizon %d after packing an older one", got)
	}
	add(50, packSince, packSpan)
	checkPacked(t, st, recs, rng, "all sealed")

	if im, ok := st.(Importer); ok { // history imported into sealed cells, a backlog waiting
		add(20, packSince, packSpan)
		batch := make([]podium.Stats, 3000)
		for i := range batch {
			batch[i] = RandomRecord(rng, 12, packSince, packSpan)
		}
		batch = append(batch, recs[:100]...) // stored already
		if _, err := im.ImportStats(ctx, batch); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, batch...)
		checkPacked(t, st, recs, rng, "history imported")
	}

	if err := st.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	checkPacked(t, st, recs, rng, "rebuilt")
}

// testPackConcurrent seals cells while several writers store records on
// both sides of the moving horizon, and a folder folds them.
func testPackConcurrent(t *testing.T, st Packer) {
	ctx := context.Background()
	var (
		mu   sync.Mutex
		recs []podium.Stats
		wg   sync.WaitGroup
	)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(seed int64) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(seed))
			for b := 0; b < 25; b++ {
				batch := make([]podium.Stats, 1+rng.Intn(20))
				for i := range batch {
					batch[i] = RandomRecord(rng, 20, packSince, packSpan)
				}
				if _, err := st.AddStats(ctx, batch); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				recs = append(recs, batch...)
				mu.Unlock()
			}
		}(int64(w))
	}
	stopFolding := foldWhile(t, st)
	for h := int64(packSince); h <= packSince+packSpan; h += packSpan / 20 {
		if err := st.Pack(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	stopFolding()
	checkPacked(t, st, recs, rand.New(rand.NewSource(1)), "after concurrent writes")
}

// checkPacked checks the store's packs and that random windows, some
// filtered, give the records' sums, first with the records as they are and
// then with all of them folded.
func checkPacked(t *testing.T, st Packer, recs []podium.Stats, rng *rand.Rand, stage string) {
	t.Helper()
	checkPackedNow(t, st, recs, rng, stage)
	foldAll(t, st)
	checkPackedNow(t, st, recs, rng, stage+", all folded")
}

func checkPackedNow(t *testing.T, st Packer, recs []podium.Stats, rng *rand.Rand, stage string) {
	t.Helper()
	ctx := context.Background()
	if err := st.CheckPacks(ctx); err != nil {
		t.Fatalf("%s: %v", stage, err)
	}
	distinct := Distinct(recs)
	for i := 0; i < 60; i++ {
		since := packSince - 3600 + rng.Int63n(packSpan+7200)
		q := podium.StatsQuery{Since: since, Until: since + []int64{rng.Int63n(7200), rng.Int63n(2 * 86400), 7 * 86400}[rng.Intn(3)]}
		switch rng.Intn(4) {
		case 0:
			q.Orchestrator = Orchestrator(rng.Intn(12))
		case 1:
			q.Region = Regions[rng.Intn(len(Regions))]
		}
		got, err := st.Aggregates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if want := Expect(distinct, q); !equal(got, want) {
			t.Fatalf("%s: Aggregates(%+v):\n got  %+v\n want %+v", stage, q, got, want)
		}
	}
}
