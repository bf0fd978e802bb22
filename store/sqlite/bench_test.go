package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
)

// BenchmarkAggregates7d measures 7-day aggregates over the 2,016,000-record
// data set, against the full scan in the same run. The data set is built
// once and kept in the system's temporary directory.
//
//	go test -run '^$' -bench Aggregates7d -benchtime 1x ./store/sqlite
func BenchmarkAggregates7d(b *testing.B) {
	db := benchDB(b)
	storetest.BenchAggregates(b, db, 101, 5, nil)
}

// BenchmarkAddStats measures ingest in batches, as a leaderboard receives
// records.
//
//	go test -run '^$' -bench AddStats -benchtime 20x ./store/sqlite
func BenchmarkAddStats(b *testing.B) {
	for _, batch := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "podium.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			storetest.BenchAddStats(b, db, batch)
		})
	}
}

// BenchmarkAddStatsConcurrent measures ingest of one record per call from
// many posters at once (group commit).
//
//	go test -run '^$' -bench AddStatsConcurrent -benchtime 200x ./store/sqlite
func BenchmarkAddStatsConcurrent(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "podium.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchAddStatsConcurrent(b, db, 32)
}

// benchDB opens the cached benchmark database, building it first if needed.
func benchDB(b *testing.B) *sqlite.DB {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("podium-bench-sqlite-%d-v2.db", storetest.BenchSize))
	if _, err := os.Stat(path); err != nil {
		b.Logf("building %s (once)", path)
		if err := buildBenchDB(ctx, path); err != nil {
			b.Fatal(err)
		}
	}
	db, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	// Seal every cell now, as the packer does within minutes of opening.
	start := time.Now()
	if err := db.Pack(ctx, start.Unix()); err != nil {
		b.Fatal(err)
	}
	if took := time.Since(start); took > time.Second {
		b.Logf("packed the rollups in %s", took.Round(time.Millisecond))
	}
	return db
}

// buildBenchDB bulk-loads the raw records with multi-row inserts in one
// transaction, computes the rollups in SQL and renames the file into place.
func buildBenchDB(ctx context.Context, path string) error {
	tmp := path + ".tmp"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		os.Remove(p)
	}
	db, err := sqlite.Open(ctx, tmp, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	const rowsPer = 40
	cols := "record_key, series, ts, test_id, segments_sent, segments_received, success_rate, " +
		"seg_duration, upload_time, download_time, transcode_time, round_trip_time, errors, " +
		"verified_renditions, verification_failures, seg_duration_us, round_trip_us, " +
		"success_rate_e9, upload_us, transcode_us, download_us, received_at"
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", 22), ", ") + ")"
	insert := "INSERT INTO stats (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rowsPer), ", ")
	err = db.Write(ctx, func(tx *sql.Tx) error {
		series := make(map[[2]string]int64)
		for o := 0; o < storetest.BenchOrchestrators; o++ {
			for r := 0; r < storetest.BenchRegions; r++ {
				k := [2]string{storetest.Orchestrator(o), storetest.BenchRegion(r)}
				res, err := tx.ExecContext(ctx, "INSERT INTO series (orchestrator, region) VALUES (?, ?)", k[0], k[1])
				if err != nil {
					return err
				}
				series[k], _ = res.LastInsertId()
			}
		}
		stmt, err := tx.PrepareContext(ctx, insert)
		if err != nil {
			return err
		}
		defer stmt.Close()
		args := make([]any, 0, 22*rowsPer)
		for i := 0; i < storetest.BenchSize; i += rowsPer {
			args = args[:0]
			for j := i; j < i+rowsPer; j++ {
				s := storetest.BenchRecord(j)
				a := s.Aggregate()
				args = append(args, s.TestID, series[[2]string{s.Orchestrator, s.Region}], s.Timestamp, s.TestID,
					s.SegmentsSent, s.SegmentsReceived, s.SuccessRate, s.SegDuration, s.UploadTime,
					s.DownloadTime, s.TranscodeTime, s.RoundTripTime, "[]", s.VerifiedRenditions,
					s.VerificationFailures, a.SumSegDuration, a.SumRoundTrip, a.SumSuccessRate,
					a.SumUpload, a.SumTranscode, a.SumDownload, int64(0))
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := db.RebuildRollups(ctx); err != nil {
		return err
	}
	if _, err := db.SQL().ExecContext(ctx, "ANALYZE"); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// BenchmarkImport measures podium import's store work: b.N records of the
// benchmark data set appended in batches of 50,000, folded and packed.
//
//	go test -run '^$' -bench Import -benchtime 2016000x ./store/sqlite
func BenchmarkImport(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "podium.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchImport(b, db, 50_000)
}
