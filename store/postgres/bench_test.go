package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/storetest"
)

// BenchmarkAggregates7d measures 7-day aggregates over the 2,016,000-record
// data set, against the full scan in the same run. The data set is built
// once, with COPY, in the schema podium_bench_2016000 of the test database,
// and kept for later runs.
//
//	PODIUM_TEST_POSTGRES_DSN=… go test -run '^$' -bench Aggregates7d -benchtime 1x ./store/postgres
func BenchmarkAggregates7d(b *testing.B) {
	db := benchDB(b)
	var pid int
	if err := db.Pool().QueryRow(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		b.Fatal(err)
	}
	storetest.BenchAggregates(b, db, 101, 5, func() time.Duration { return backendCPU(b, pid) })
}

// backendCPU returns the CPU time of the server process pid, when the
// server runs on this machine (Linux /proc; utime and stime in clock ticks
// of 10 ms).
func backendCPU(b *testing.B, pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Logf("server CPU not measured: %v", err)
		return 0
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// BenchmarkAddStats measures ingest in batches.
func BenchmarkAddStats(b *testing.B) {
	for _, batch := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			storetest.BenchAddStats(b, open(b, storetest.FreshSchema(b, storetest.PostgresDSN(b))), batch)
		})
	}
}

// BenchmarkAddStatsConcurrent measures ingest of one record per call from
// many posters at once.
func BenchmarkAddStatsConcurrent(b *testing.B) {
	storetest.BenchAddStatsConcurrent(b, open(b, storetest.FreshSchema(b, storetest.PostgresDSN(b))), 32)
}

// benchDB opens the cached benchmark schema, building it first if needed.
func benchDB(b *testing.B) *postgres.DB {
	b.Helper()
	ctx := context.Background()
	base := storetest.PostgresDSN(b)
	schema := fmt.Sprintf("podium_bench_%d", storetest.BenchSize)
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var done bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", schema+".bench_done").Scan(&done); err != nil {
		b.Fatal(err)
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	// One connection, so that every query runs in the backend whose CPU
	// time is measured.
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
		b.Logf("built in %s", time.Since(start))
	}
	db := open(b, dsn)
	// Seal every cell now, as the packer does within minutes of opening.
	if err := db.Pack(ctx, time.Now().Unix()); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, "VACUUM ANALYZE rollup_packs"); err != nil {
		b.Fatal(err)
	}
	return db
}

// buildBenchDB loads the raw records with COPY and computes the rollups in
// SQL.
func buildBenchDB(ctx context.Context, dsn string) error {
	db, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	pool := db.Pool()
	series := make(map[[2]string]int64)
	for o := 0; o < storetest.BenchOrchestrators; o++ {
		for r := 0; r < storetest.BenchRegions; r++ {
			k := [2]string{storetest.Orchestrator(o), storetest.BenchRegion(r)}
			var id int64
			if err := pool.QueryRow(ctx, "INSERT INTO series (orchestrator, region) VALUES ($1, $2) RETURNING id", k[0], k[1]).Scan(&id); err != nil {
				return err
			}
			series[k] = id
		}
	}
	cols := []string{"record_key", "series", "ts", "test_id", "segments_sent", "segments_received",
		"success_rate", "seg_duration", "upload_time", "download_time", "transcode_time",
		"round_trip_time", "errors", "verified_renditions", "verification_failures", "seg_duration_us",
		"round_trip_us", "success_rate_e9", "upload_us", "transcode_us", "download_us", "received_at"}
	now := time.Unix(storetest.Base, 0)
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == storetest.BenchSize {
			return nil, nil
		}
		s := storetest.BenchRecord(i)
		i++
		a := s.Aggregate()
		return []any{s.TestID, series[[2]string{s.Orchestrator, s.Region}], s.Timestamp, s.TestID,
			int64(s.SegmentsSent), int64(s.SegmentsReceived), s.SuccessRate, s.SegDuration, s.UploadTime,
			s.DownloadTime, s.TranscodeTime, s.RoundTripTime, "[]", int64(s.VerifiedRenditions),
			int64(s.VerificationFailures), a.SumSegDuration, a.SumRoundTrip, a.SumSuccessRate,
			a.SumUpload, a.SumTranscode, a.SumDownload, now}, nil
	})
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"stats"}, cols, src); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if err := db.RebuildRollups(ctx); err != nil {
		return err
	}
	for _, stmt := range []string{"VACUUM ANALYZE stats", "VACUUM ANALYZE rollups", "CREATE TABLE bench_done ()"} {
		if _, err := pool.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// BenchmarkImport measures podium import's store work: b.N records of the
// benchmark data set appended (COPY) in batches of 50,000, folded and
// packed. server-cpu-s is the CPU time of the server processes serving the
// test database (the benchmark's connections), when the server runs on
// this machine: a figure a loaded machine does not inflate.
//
//	go test -run '^$' -bench Import -benchtime 2016000x ./store/postgres
func BenchmarkImport(b *testing.B) {
	db := open(b, storetest.FreshSchema(b, storetest.PostgresDSN(b)))
	storetest.BenchImport(b, db, 50_000)
	rows, err := db.Pool().Query(context.Background(), "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
	if err != nil {
		b.Fatal(err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		b.Fatal(err)
	}
	var cpu time.Duration
	for _, pid := range pids {
		cpu += backendCPU(b, int(pid))
	}
	b.ReportMetric(cpu.Seconds(), "server-cpu-s")
}
