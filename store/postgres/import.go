package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// importColumns are the stats columns ImportStats copies, in order.
var importColumns = []string{"record_key", "series", "ts", "test_id", "segments_sent",
	"segments_received", "success_rate", "seg_duration", "upload_time", "download_time",
	"transcode_time", "round_trip_time", "errors", "verified_renditions", "verification_failures",
	"seg_duration_us", "round_trip_us", "success_rate_e9", "upload_us", "transcode_us",
	"download_us", "received_at", "cost_tickets", "cost_face_value", "cost_ev"}

// uniqueViolation is the SQLSTATE of a duplicate key.
const uniqueViolation = "23505"

// ImportStats appends a large batch of records in one transaction, by
// PostgreSQL's bulk path, and returns how many were new. It looks up which
// keys are stored already and COPYs the others straight into stats, in key
// order, as AddStats writes, so that concurrent writers cannot deadlock on
// the key index. When a concurrent writer stores one of those keys first,
// the COPY fails on the key index and the batch is imported again by the
// slower merge (importMerge), which skips what is stored. Like AddStats it
// leaves folding to Fold. It is for imports: a live poster gets its answer
// sooner from AddStats's group commits.
func (db *DB) ImportStats(ctx context.Context, recs []podium.Stats) (int, error) {
	rows, err := rollup.Prepare(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Key < rows[j].Key })
	need := make(map[seriesKey]bool)
	for _, r := range rows {
		need[seriesKey{r.Orchestrator, r.Region}] = true
	}
	ids, missing := db.series.lookup(need)
	folded := db.foldBehind(ctx)
	added, err := db.importCopy(ctx, rows, ids, missing)
	if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == uniqueViolation {
		added, err = db.importMerge(ctx, rows, ids, missing)
	}
	if ferr := folded(); ferr != nil && ctx.Err() == nil {
		db.logger.Warn("folding imported records failed; the next fold takes them, queries stay exact", "component", "store", "err", ferr)
	}
	if err != nil {
		return 0, unavailable("import stats", err)
	}
	db.series.remember(ids)
	db.backlog.Appended(int(added))
	return int(added), nil
}

// foldBehind starts folding, on another connection, the records committed
// before it was called (an import's earlier batches), and returns a
// function that waits for that fold to end. The server then folds one batch
// while it copies the next, on two of its cores. The fold's largest id is
// read here, before the caller's transaction shares the horizon, so that
// the fold does not wait for it (see Fold).
func (db *DB) foldBehind(ctx context.Context) (wait func() error) {
	var seq, last int64
	err := db.pool.QueryRow(ctx, "SELECT (SELECT seq FROM fold_state), (SELECT coalesce(max(id), 0) FROM stats)").Scan(&seq, &last)
	if err != nil || last <= seq {
		return func() error { return err }
	}
	target, err := db.foldTarget(ctx)
	if err != nil {
		return func() error { return err }
	}
	done := make(chan error, 1)
	go func() {
		for {
			var n int
			err := db.inTx(ctx, func(tx *pipeTx) error {
				var err error
				n, err = fold(ctx, tx, target, rollup.FoldBatch)
				return err
			})
			if err == nil {
				db.backlog.Folded(n)
			}
			if err != nil || n < rollup.FoldBatch {
				done <- err
				return
			}
		}
	}()
	return func() error { return <-done }
}

// importCopy COPYs the records of rows (in key order) whose keys are not
// stored yet straight into stats; see ImportStats.
func (db *DB) importCopy(ctx context.Context, rows []rollup.Record, ids map[seriesKey]int64, missing []seriesKey) (int64, error) {
	var added int64
	err := db.inTx(ctx, func(tx *pipeTx) error {
		var horizon int64 // unused: the share lock is what counts (fold.go)
		shareHorizon(tx, &horizon)
		if err := createSeries(ctx, tx, missing, ids); err != nil {
			return fmt.Errorf("series: %w", err)
		}
		keys := make([]string, len(rows))
		for i := range rows {
			keys[i] = rows[i].Key
		}
		stored := make(map[string]bool)
		err := tx.Query(ctx, func(r pgx.Rows) error {
			var k string
			_, err := pgx.ForEachRow(r, []any{&k}, func() error {
				stored[k] = true
				return nil
			})
			return err
		}, "SELECT record_key FROM stats WHERE record_key = ANY($1)", keys)
		if err != nil {
			return fmt.Errorf("stored keys: %w", err)
		}
		fresh := rows
		if len(stored) > 0 {
			fresh = make([]rollup.Record, 0, len(rows)-len(stored))
			for _, r := range rows {
				if !stored[r.Key] {
					fresh = append(fresh, r)
				}
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		added, err = tx.conn.CopyFrom(ctx, pgx.Identifier{"stats"}, importColumns, copyRows(fresh, ids, db.Now()))
		if err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		return nil
	})
	return added, err
}

// importMerge appends rows by COPY into a temporary table, then one INSERT
// … SELECT that skips the keys already stored; see ImportStats.
func (db *DB) importMerge(ctx context.Context, rows []rollup.Record, ids map[seriesKey]int64, missing []seriesKey) (int64, error) {
	var added int64
	err := db.inTx(ctx, func(tx *pipeTx) error {
		var horizon int64 // unused: the share lock is what counts (fold.go)
		shareHorizon(tx, &horizon)
		tx.Queue(`CREATE TEMPORARY TABLE import_stats (LIKE stats INCLUDING DEFAULTS) ON COMMIT DROP`)
		tx.Queue(`ALTER TABLE import_stats DROP COLUMN id, ALTER COLUMN errors TYPE text`)
		if err := createSeries(ctx, tx, missing, ids); err != nil {
			return fmt.Errorf("series: %w", err)
		}
		if err := tx.send(ctx); err != nil {
			return fmt.Errorf("import table: %w", err)
		}
		if _, err := tx.conn.CopyFrom(ctx, pgx.Identifier{"import_stats"}, importColumns, copyRows(rows, ids, db.Now())); err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		cols := strings.Join(importColumns, ", ")
		selected := strings.Replace(cols, ", errors, ", ", errors::json, ", 1)
		// Key order, as AddStats writes, so concurrent writers cannot
		// deadlock on the key index.
		tag, err := tx.conn.Exec(ctx, "INSERT INTO stats ("+cols+") SELECT "+
			selected+" FROM import_stats ORDER BY record_key COLLATE \"C\" ON CONFLICT (record_key) DO NOTHING")
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		added = tag.RowsAffected()
		return nil
	})
	return added, err
}

// copyRows is the COPY source of rows' importColumns.
func copyRows(rows []rollup.Record, ids map[seriesKey]int64, now time.Time) pgx.CopyFromSource {
	return pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
		r := &rows[i]
		a := r.Agg
		tickets, face, ev := rollup.CostValues(r.Stats)
		return []any{r.Key, ids[seriesKey{r.Orchestrator, r.Region}], r.Timestamp, r.TestID,
			int64(r.SegmentsSent), int64(r.SegmentsReceived), r.SuccessRate, r.SegDuration,
			r.UploadTime, r.DownloadTime, r.TranscodeTime, r.RoundTripTime, r.Errors,
			int64(r.VerifiedRenditions), int64(r.VerificationFailures), a.SumSegDuration,
			a.SumRoundTrip, a.SumSuccessRate, a.SumUpload, a.SumTranscode, a.SumDownload,
			now, tickets, face, ev}, nil
	})
}
