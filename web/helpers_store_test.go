package web_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
)

// opener opens a fresh, empty store for one test.
type opener func(t testing.TB) podium.StatsStore

// forEachStore runs fn on SQLite, and on PostgreSQL when
// PODIUM_TEST_POSTGRES_DSN is set (always in CI).
func forEachStore(t *testing.T, fn func(t *testing.T, open opener)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite) })
	t.Run("postgres", func(t *testing.T) {
		storetest.PostgresDSN(t)
		fn(t, openPostgres)
	})
}

// openSQLite opens a SQLite store in a temporary directory.
func openSQLite(t testing.TB) podium.StatsStore {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openPostgres opens a store in a schema of its own, dropped after the test.
func openPostgres(t testing.TB) podium.StatsStore {
	t.Helper()
	db, err := postgres.Open(context.Background(), storetest.FreshSchema(t, storetest.PostgresDSN(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
