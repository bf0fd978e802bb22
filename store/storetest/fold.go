package storetest

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

// Folder is a store that appends records and folds them into its rollups
// later (store/rollup/fold.go). Its answers must not depend on what is
// folded yet.
type Folder interface {
	podium.StatsStore
	Fold(ctx context.Context) (int, error)
}

// foldAll folds every record appended so far, when st folds.
func foldAll(t testing.TB, st podium.StatsStore) {
	t.Helper()
	f, ok := st.(Folder)
	if !ok {
		return
	}
	for {
		n, err := f.Fold(context.Background())
		if err != nil {
			t.Fatalf("Fold: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// foldWhile folds st over and over, as a busy store's upkeep does, until
// the returned stop is called; stop reports a failed fold.
func foldWhile(t testing.TB, st podium.StatsStore) (stop func()) {
	f, ok := st.(Folder)
	if !ok {
		return func() {}
	}
	done := make(chan struct{})
	var (
		wg    sync.WaitGroup
		first error
		folds int
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			n, err := f.Fold(context.Background())
			if err != nil {
				first = err
				return
			}
			if n > 0 {
				folds++
			} else {
				time.Sleep(time.Millisecond) // nothing to fold: let writers append
			}
		}
	}()
	return func() {
		t.Helper()
		close(done)
		wg.Wait()
		if first != nil {
			t.Fatalf("Fold while writing: %v", first)
		}
		t.Logf("%d folds ran while records were written", folds)
	}
}

// Importer is a store with a bulk path for imports.
type Importer interface {
	podium.StatsStore
	ImportStats(ctx context.Context, recs []podium.Stats) (int, error)
}

// testImport imports records in bulk, some already posted and some twice in
// one batch, alongside concurrent posts: each record is stored once, and
// the answers are the records' sums before and after folding.
func testImport(t *testing.T, open Opener) {
	st, ok := open(t).(Importer)
	if !ok {
		t.Fatal("the store has no bulk import (ImportStats): every podium store needs one, see store.DB")
	}
	ctx := context.Background()
	rng := rand.New(rand.NewSource(11))
	recs := make([]podium.Stats, 6000)
	for i := range recs {
		recs[i] = RandomRecord(rng, 30, Base-3*86400, 6*86400)
		recs[i].TestID = fmt.Sprintf("imp-%d", i)
	}
	add(t, st, 500, recs[:500]...) // posted before the import
	batch := append(append([]podium.Stats(nil), recs[:4000]...), recs[100:200]...)
	var wg sync.WaitGroup
	wg.Add(1)
	var posted int
	var postErr error
	go func() { // posts racing the import, some of the same records
		defer wg.Done()
		posted, postErr = st.AddStats(ctx, recs[3500:6000])
	}()
	imported, err := st.ImportStats(ctx, batch)
	wg.Wait()
	if err != nil || postErr != nil {
		t.Fatalf("ImportStats: %v; AddStats: %v", err, postErr)
	}
	if imported+posted != len(recs)-500 {
		t.Fatalf("imported %d and posted %d new records, want %d in all", imported, posted, len(recs)-500)
	}
	if n, err := st.ImportStats(ctx, recs); err != nil || n != 0 {
		t.Fatalf("importing again added %d (%v), want 0", n, err)
	}
	for _, q := range []podium.StatsQuery{
		{Since: 0, Until: Base + 4*86400},
		{Since: Base - 86400 - 77, Until: Base + 2*86400 + 1234},
		{Since: Base - 3600, Until: Base + 600, Region: Regions[1]},
	} {
		checkAggregates(t, st, recs, q) // before and after folding
	}
	if got := raw(t, st, podium.StatsQuery{Since: 0, Until: Base + 4*86400}); len(got) != len(recs) {
		t.Fatalf("stored %d records, want %d", len(got), len(recs))
	}
}
