package postgres_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/storetest"
)

// open opens a store at dsn.
func open(t testing.TB, dsn string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) podium.StatsStore {
		return open(t, storetest.FreshSchema(t, storetest.PostgresDSN(t)))
	})
}

// TestOpen_Concurrent opens one empty database from several replicas at
// once: the advisory lock lets exactly one apply each migration.
func TestOpen_Concurrent(t *testing.T) {
	dsn := storetest.FreshSchema(t, storetest.PostgresDSN(t))
	ctx := context.Background()
	errs := make(chan error, 4)
	for i := 0; i < cap(errs); i++ {
		go func() {
			db, err := postgres.Open(ctx, dsn, nil)
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
	}
	db := open(t, dsn)
	var n int
	if err := db.Pool().QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	shipped, _ := fs.Glob(postgres.Migrations(), "*.sql")
	if n != len(shipped) {
		t.Fatalf("%d migrations recorded, want %d", n, len(shipped))
	}
}
