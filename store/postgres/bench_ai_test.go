package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/storetest"
)

// BenchmarkAIBoard7d measures the 7-day AI board over the 2,016,000 AI
// records against the 7-day transcoding board over the 2,016,000
// transcoding records of the same schema (storetest.BenchAIBoard). The
// schema podium_bench_ai_2016000 is built once and kept.
//
//	PODIUM_TEST_POSTGRES_DSN=… go test -run '^$' -bench AIBoard7d -benchtime 1x ./store/postgres
func BenchmarkAIBoard7d(b *testing.B) {
	storetest.BenchAIBoard(b, benchAIDB(b), 51)
}

func benchAIDB(b *testing.B) *postgres.DB {
	b.Helper()
	ctx := context.Background()
	base := storetest.PostgresDSN(b)
	schema := fmt.Sprintf("podium_bench_ai_%d", storetest.BenchAISize)
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var done bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", schema+".bench_ai_done").Scan(&done); err != nil {
		b.Fatal(err)
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	dsn := base + sep + "search_path=" + schema + "&pool_max_conns=1"
	if !done {
		b.Logf("building schema %s (once)", schema)
		start := time.Now()
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema); err != nil {
			b.Fatal(err)
		}
		if err := buildBenchDB(ctx, dsn); err != nil {
			b.Fatal(err)
		}
		db, err := postgres.Open(ctx, dsn, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := storetest.LoadBenchAI(ctx, db, 50_000); err != nil {
			b.Fatal(err)
		}
		for _, stmt := range []string{"VACUUM ANALYZE ai_stats", "VACUUM ANALYZE ai_rollups", "VACUUM ANALYZE ai_medians", "CREATE TABLE bench_ai_done ()"} {
			if _, err := db.Pool().Exec(ctx, stmt); err != nil {
				b.Fatalf("%s: %v", stmt, err)
			}
		}
		db.Close()
		b.Logf("built in %s", time.Since(start).Round(time.Second))
	}
	db := open(b, dsn)
	if err := db.Pack(ctx, time.Now().Unix()); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, "VACUUM ANALYZE rollup_packs"); err != nil {
		b.Fatal(err)
	}
	return db
}
