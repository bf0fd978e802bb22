package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium/store/rollup"
)

// foldLockTimeout bounds how long a fold waits for the horizon's lock (a
// long pack step or a large import holds it); the fold is then tried again
// at the next interval.
const foldLockTimeout = 5 * time.Second

// Fold adds the records appended since the last fold, at most
// rollup.FoldBatch of them in id order, to their rollups and packs, and
// moves the fold mark past them. It returns how many it folded.
//
// PostgreSQL hands out ids when a row is inserted, not when it commits, so
// a record with a smaller id may commit after one with a larger id. A fold
// therefore first reads the largest id while it holds the horizon row FOR
// UPDATE, for a moment: every writer shares that row before it takes an id,
// so all ids up to that one have then committed or are void, and no later
// writer can take a smaller one. It then folds up to that id, in a
// transaction that, as a writer did before, shares the horizon (so no pack
// step seals cells under it) and holds the fold mark (so no other fold
// takes the same records).
func (db *DB) Fold(ctx context.Context) (int, error) {
	var seq, last int64
	err := db.pool.QueryRow(ctx, "SELECT (SELECT seq FROM fold_state), (SELECT coalesce(max(id), 0) FROM stats)").Scan(&seq, &last)
	if err != nil {
		return 0, unavailable("fold records into rollups", err)
	}
	if last <= seq { // nothing committed past the mark
		return 0, nil
	}
	target, err := db.foldTarget(ctx)
	if err != nil {
		return 0, unavailable("fold records into rollups", err)
	}
	var n int
	err = db.inTx(ctx, func(tx *pipeTx) error {
		var err error
		n, err = fold(ctx, tx, target, rollup.FoldBatch)
		return err
	})
	if err != nil {
		return 0, unavailable("fold records into rollups", err)
	}
	db.backlog.Folded(n)
	return n, nil
}

// foldTarget returns the largest id below which every record has committed
// (see Fold).
func (db *DB) foldTarget(ctx context.Context) (target int64, err error) {
	err = db.inTx(ctx, func(tx *pipeTx) error {
		tx.Queue(fmt.Sprintf("SET LOCAL lock_timeout = %d", foldLockTimeout.Milliseconds()))
		tx.Queue("SELECT horizon FROM rollup_horizon FOR UPDATE")
		return tx.Query(ctx, func(rows pgx.Rows) error {
			var err error
			target, err = pgx.CollectExactlyOneRow(rows, pgx.RowTo[int64])
			return err
		}, "SELECT coalesce(max(id), 0) FROM stats")
	})
	if err != nil {
		return 0, fmt.Errorf("the largest committed id: %w", err)
	}
	return target, nil
}

// fold folds at most limit records with ids up to target in tx; see Fold.
func fold(ctx context.Context, tx *pipeTx, target int64, limit int) (int, error) {
	var seq, horizon int64
	tx.QueueRow(func(r pgx.Row) error { return r.Scan(&seq) }, "SELECT seq FROM fold_state FOR UPDATE")
	shareHorizon(tx, &horizon)
	deltas := make(rollup.Deltas)
	var n int
	last := target
	err := tx.Query(ctx, func(rows pgx.Rows) error {
		var u rollup.Unfolded
		a := &u.Agg
		a.Tests = 1
		_, err := pgx.ForEachRow(rows, []any{&u.ID, &u.Series, &u.Timestamp, &a.SumSegDuration, &a.SumRoundTrip,
			&a.SumSuccessRate, &a.SumUpload, &a.SumTranscode, &a.SumDownload, &a.SegmentsSent,
			&a.SegmentsReceived, &a.VerifiedRenditions, &a.VerificationFailures}, func() error {
			deltas.Add(u)
			n++
			if n == limit {
				last = u.ID
			}
			return nil
		})
		return err
	}, "SELECT id, series, ts, "+strings.Join(rollup.SumColumns, ", ")+
		" FROM stats WHERE id > (SELECT seq FROM fold_state) AND id <= $1 ORDER BY id LIMIT $2", target, limit)
	if err != nil {
		return 0, fmt.Errorf("read unfolded records: %w", err)
	}
	if last <= seq { // another fold got here first
		return 0, nil
	}
	writeDeltas(tx, deltas)
	if err := writeLatePacks(ctx, tx, deltas, horizon); err != nil {
		return 0, err
	}
	tx.Queue("UPDATE fold_state SET seq = $1", last)
	return n, nil
}
