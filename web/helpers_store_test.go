package web_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/sqlite"
)

// newStore opens a fresh SQLite store in the test's temporary directory.
func newStore(t *testing.T) podium.StatsStore {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
