package ui_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/server"
	"github.com/podiumhq/podium/store"
)

// serveDB returns a fresh SQLite database opened as podium serve opens it
// (store.Open), holding the seeded records; roles is its stats and program
// roles together, for the fixtures that publish into it.
func serveDB(t *testing.T) (db *store.DB, roles backend) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	seedStore(t, db)
	return db, struct {
		podium.StatsStore
		podium.ProgramStore
	}{db, db.Programs()}
}

// startServe starts the leaderboard server that podium serve runs, with
// the pages under test, on a free port and with the test's log; it stops
// when the test ends.
func startServe(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	cfg.Secret = []byte("ui-test")
	cfg.Listen = "127.0.0.1:0"
	cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(context.Background()); err != nil {
			t.Errorf("close the server: %v", err)
		}
	})
	return srv
}
