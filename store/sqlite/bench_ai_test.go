package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
)

// BenchmarkAIBoard7d measures the 7-day AI board over the 2,016,000 AI
// records against the 7-day transcoding board over the 2,016,000
// transcoding records of the same database (storetest.BenchAIBoard). The
// database is built once and kept in the system's temporary directory.
//
//	go test -run '^$' -bench AIBoard7d -benchtime 1x ./store/sqlite
func BenchmarkAIBoard7d(b *testing.B) {
	storetest.BenchAIBoard(b, benchAIDB(b), 51)
}

func benchAIDB(b *testing.B) *sqlite.DB {
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("podium-bench-sqlite-ai-%d.db", storetest.BenchAISize))
	if _, err := os.Stat(path); err != nil {
		b.Logf("building %s (once)", path)
		start := time.Now()
		part := path + ".part"
		for _, p := range []string{part, part + "-wal", part + "-shm"} {
			os.Remove(p)
		}
		if err := buildBenchDB(ctx, part); err != nil {
			b.Fatal(err)
		}
		db, err := sqlite.Open(ctx, part, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := storetest.LoadBenchAI(ctx, db, 50_000); err != nil {
			b.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(part, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("built in %s", time.Since(start).Round(time.Second))
	}
	db, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Pack(ctx, time.Now().Unix()); err != nil {
		b.Fatal(err)
	}
	return db
}
