package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/store/storetest"
)

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		dsn, backend, path string
	}{
		{"", store.SQLite, "./podium.db"},
		{"/tmp/x.db", store.SQLite, "/tmp/x.db"},
		{"data/podium.db", store.SQLite, "data/podium.db"},
		{"sqlite:/tmp/x.db", store.SQLite, "/tmp/x.db"},
		{"sqlite:///tmp/x.db", store.SQLite, "/tmp/x.db"},
		{"./a://b.db", store.SQLite, "./a://b.db"},
		{"postgres://u:p@h:5432/d", store.Postgres, "postgres://u:p@h:5432/d"},
		{"postgresql://u@h/d?sslmode=disable", store.Postgres, "postgresql://u@h/d?sslmode=disable"},
	} {
		got, err := store.ParseDSN(tc.dsn)
		if err != nil || got.Backend != tc.backend || got.Path != tc.path {
			t.Errorf("ParseDSN(%q) = %+v, %v; want %s %s", tc.dsn, got, err, tc.backend, tc.path)
		}
	}
}

// addOne stores one record through db and checks that its backend counted
// the group commit.
func addOne(t *testing.T, db *store.DB) {
	t.Helper()
	if _, err := db.AddStats(context.Background(), []podium.Stats{storetest.Record(1, "FRA", storetest.Base)}); err != nil {
		t.Fatal(err)
	}
	if groups, records := db.GroupCommits(); groups != 1 || records != 1 {
		t.Fatalf("GroupCommits() = %d, %d; want 1, 1", groups, records)
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.db")
		db, err := store.Open(ctx, "sqlite:"+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if db.Backend() != store.SQLite || db.Programs() == nil || db.Locker() == nil {
			t.Fatalf("Open chose %+v", db)
		}
		if err := db.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatal(err)
		}
		addOne(t, db)
	})
	t.Run("OKPostgres", func(t *testing.T) {
		dsn := storetest.FreshSchema(t, storetest.PostgresDSN(t))
		db, err := store.Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if db.Backend() != store.Postgres || db.Programs() == nil {
			t.Fatalf("Open chose %+v", db)
		}
		addOne(t, db)
	})
	for _, tc := range []struct {
		name, dsn, code string
	}{
		{"ErrScheme", "mysql://u:p@h/d", podium.EINVALID},
		{"ErrEmptySQLitePath", "sqlite:", podium.EINVALID},
		{"ErrNoDirectory", filepath.Join(t.TempDir(), "missing", "x.db"), podium.EINVALID},
		{"ErrBadPostgresDSN", "postgres://u:p@h:notaport/d", podium.EINVALID},
		{"ErrUnreachable", "postgres://podium:podium@127.0.0.1:1/podium?sslmode=disable&connect_timeout=2", podium.EUNAVAILABLE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := store.Open(ctx, tc.dsn, nil)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded", tc.dsn)
			}
			if code := podium.ErrorCode(err); code != tc.code {
				t.Fatalf("Open(%q): %v (code %q), want code %q", tc.dsn, err, code, tc.code)
			}
			t.Logf("%v (hint: %s)", err, podium.ErrorHint(err))
			if podium.ErrorHint(err) == "" {
				t.Fatalf("Open(%q): %v has no hint", tc.dsn, err)
			}
		})
	}
}
