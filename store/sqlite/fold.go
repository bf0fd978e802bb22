package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/podiumhq/podium/store/rollup"
)

// Fold adds the records appended since the last fold, at most
// rollup.FoldBatch of them in id order, to their rollups and packs, and
// moves the fold mark past them, in one write transaction. It returns how
// many it folded. SQLite has one writer at a time and gives ids in
// increasing order, so no record below the mark can commit later.
func (db *DB) Fold(ctx context.Context) (n int, err error) {
	err = db.Write(ctx, func(tx *sql.Tx) error {
		n, err = fold(ctx, tx, rollup.FoldBatch)
		return err
	})
	if err != nil {
		return 0, unavailable("fold records into rollups", err)
	}
	db.backlog.Folded(n)
	return n, nil
}

// fold folds at most limit records in tx; see Fold.
func fold(ctx context.Context, tx *sql.Tx, limit int) (int, error) {
	var seq int64
	if err := tx.QueryRowContext(ctx, "SELECT seq FROM fold_state").Scan(&seq); err != nil {
		return 0, fmt.Errorf("fold mark: %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT id, series, ts, "+strings.Join(rollup.SumColumns, ", ")+
		" FROM stats WHERE id > ?1 ORDER BY id LIMIT ?2", seq, limit)
	if err != nil {
		return 0, fmt.Errorf("read unfolded records: %w", err)
	}
	deltas := make(rollup.Deltas)
	n := 0
	for rows.Next() {
		var u rollup.Unfolded
		a := &u.Agg
		if err := rows.Scan(&u.ID, &u.Series, &u.Timestamp, &a.SumSegDuration, &a.SumRoundTrip,
			&a.SumSuccessRate, &a.SumUpload, &a.SumTranscode, &a.SumDownload, &a.SegmentsSent,
			&a.SegmentsReceived, &a.VerifiedRenditions, &a.VerificationFailures); err != nil {
			rows.Close()
			return 0, fmt.Errorf("read unfolded records: %w", err)
		}
		a.Tests = 1
		deltas.Add(u)
		seq = u.ID
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("read unfolded records: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	if err := writeDeltas(ctx, tx, deltas); err != nil {
		return 0, err
	}
	if err := writeLatePacks(ctx, tx, deltas); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE fold_state SET seq = ?1", seq); err != nil {
		return 0, fmt.Errorf("move the fold mark: %w", err)
	}
	return n, nil
}

// unfoldedFilter is a series filter for the query part reading unfolded
// records by id: the series column is read, not searched by index.
func unfoldedFilter(filter string) string {
	return strings.Replace(filter, " AND series IN", " AND +series IN", 1)
}
