package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// importColumns are the stats columns ImportStats copies, in order.
var importColumns = []string{"record_key", "series", "ts", "test_id", "segments_sent",
	"segments_received", "success_rate", "seg_duration", "upload_time", "download_time",
	"transcode_time", "round_trip_time", "errors", "verified_renditions", "verification_failures",
	"seg_duration_us", "round_trip_us", "success_rate_e9", "upload_us", "transcode_us",
	"download_us", "received_at", "cost_tickets", "cost_face_value", "cost_ev"}

// ImportStats appends a large batch of records in one transaction, by
// PostgreSQL's bulk path: COPY into a temporary table, then one INSERT …
// SELECT that skips the keys already stored. It returns how many were new.
// Like AddStats it leaves folding to Fold. It is for imports: a live poster
// gets its answer sooner from AddStats's group commits.
func (db *DB) ImportStats(ctx context.Context, recs []podium.Stats) (int, error) {
	rows, err := rollup.Prepare(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	need := make(map[seriesKey]bool)
	for _, r := range rows {
		need[seriesKey{r.Orchestrator, r.Region}] = true
	}
	ids, missing := db.series.lookup(need)
	var added int64
	err = db.inTx(ctx, func(tx *pipeTx) error {
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
		now := db.Now()
		_, err := tx.conn.CopyFrom(ctx, pgx.Identifier{"import_stats"}, importColumns,
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				r := &rows[i]
				a := r.Agg
				tickets, face, ev := rollup.CostValues(r.Stats)
				return []any{r.Key, ids[seriesKey{r.Orchestrator, r.Region}], r.Timestamp, r.TestID,
					int64(r.SegmentsSent), int64(r.SegmentsReceived), r.SuccessRate, r.SegDuration,
					r.UploadTime, r.DownloadTime, r.TranscodeTime, r.RoundTripTime, r.Errors,
					int64(r.VerifiedRenditions), int64(r.VerificationFailures), a.SumSegDuration,
					a.SumRoundTrip, a.SumSuccessRate, a.SumUpload, a.SumTranscode, a.SumDownload,
					now, tickets, face, ev}, nil
			}))
		if err != nil {
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
	if err != nil {
		return 0, unavailable("import stats", err)
	}
	db.series.remember(ids)
	db.backlog.Appended(int(added))
	return int(added), nil
}
