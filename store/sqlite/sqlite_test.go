package sqlite_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
)

// open opens a fresh database in the test's temporary directory.
func open(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) podium.StatsStore { return open(t) })
}

// TestDB_Aggregates_Reopen names series stored by an earlier process, which
// the series cache of this one has never seen.
func TestDB_Aggregates_Reopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "podium.db")
	recs := []podium.Stats{storetest.Record(1, "FRA", storetest.Base), storetest.Record(2, "SIN", storetest.Base+1)}
	db, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddStats(ctx, recs); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := podium.StatsQuery{Since: 0, Until: storetest.Base + 10}
	got, err := db.Aggregates(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if want := storetest.Expect(recs, q); !reflect.DeepEqual(got, want) {
		t.Fatalf("Aggregates after reopening:\n got  %+v\n want %+v", got, want)
	}
}

// TestPacks runs the shared pack tests on stores without the background
// packer (none runs until StartPacker).
func TestPacks(t *testing.T) {
	storetest.RunPacks(t, func(t *testing.T) storetest.Packer {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "podium.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
