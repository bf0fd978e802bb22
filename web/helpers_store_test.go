package web_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web"
)

// opener opens a fresh, empty store for one test and sets in cfg (when not
// nil) how the server should use it.
type opener func(t testing.TB, cfg *web.Config) podium.StatsStore

// forEachStore runs fn on SQLite as podium serve uses it (posts straight to
// the store's group commit), on SQLite through the server's batcher, and on
// PostgreSQL (batcher) when PODIUM_TEST_POSTGRES_DSN is set (always in CI).
func forEachStore(t *testing.T, fn func(t *testing.T, open opener)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite) })
	t.Run("sqlite-batcher", func(t *testing.T) {
		fn(t, func(t testing.TB, cfg *web.Config) podium.StatsStore { return openSQLite(t, nil) })
	})
	t.Run("postgres", func(t *testing.T) {
		storetest.PostgresDSN(t)
		fn(t, openPostgres)
	})
}

// openSQLite opens a SQLite store, which group-commits concurrent AddStats
// calls by itself.
func openSQLite(t testing.TB, cfg *web.Config) podium.StatsStore {
	t.Helper()
	if cfg != nil {
		cfg.StoreGroupCommit = true
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openPostgres opens a store in a schema of its own, dropped after the test.
func openPostgres(t testing.TB, _ *web.Config) podium.StatsStore {
	t.Helper()
	db, err := postgres.Open(context.Background(), storetest.FreshSchema(t, storetest.PostgresDSN(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
