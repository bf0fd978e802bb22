package sqlite_test

import (
	"context"
	"path/filepath"
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
