package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium"
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

// foldCells is the statement folding the records with ids in ($1, $2] into
// their rollups on the server, every width ($3) at once, in cell order; it
// returns the cells it added to that end at or before the horizon ($4),
// which the packs must get too (writeLatePacks).
var foldCells = func() string {
	cols := append([]string{"tests"}, rollup.SumColumns...)
	sums := []string{"count(*)"}
	var set []string
	for _, c := range rollup.SumColumns {
		sums = append(sums, fmt.Sprintf("podium_sum(r.%s)", c))
	}
	for _, c := range cols {
		set = append(set, fmt.Sprintf("%s = rollups.%s + excluded.%s", c, c, c))
	}
	return `WITH c AS MATERIALIZED (
		SELECT w.width, r.ts - r.ts % w.width AS bucket, r.series, ` + strings.Join(sums, ", ") + `
		FROM stats r CROSS JOIN unnest($3::bigint[]) AS w(width)
		WHERE r.id > $1 AND r.id <= $2 GROUP BY 1, 2, 3),
	ins AS (INSERT INTO rollups (width, bucket, series, ` + strings.Join(cols, ", ") + `)
		SELECT * FROM c ORDER BY width, bucket, series
		ON CONFLICT (width, bucket, series) DO UPDATE SET ` + strings.Join(set, ", ") + `)
	SELECT * FROM c WHERE bucket + width <= $4`
}()

// foldWorkMem is the memory a fold's sorts and hashes may take.
const foldWorkMem = "SET LOCAL work_mem = '64MB'"

// fold folds at most limit records with ids up to target in tx; see Fold.
// The sums are taken on the server: only the cells late for the packs come
// back.
func fold(ctx context.Context, tx *pipeTx, target int64, limit int) (int, error) {
	var seq, horizon int64
	// A full batch makes tens of thousands of cells: with the default
	// work_mem (4 MB) the aggregate, the sort and the widths' join spill
	// to temporary files and take about three times as long
	// (EXPLAIN ANALYZE of one 50,000-record fold: 1.44 s, 0.49 s in memory).
	tx.Queue(foldWorkMem)
	tx.QueueRow(func(r pgx.Row) error { return r.Scan(&seq) }, "SELECT seq FROM fold_state FOR UPDATE")
	shareHorizon(tx, &horizon)
	var n int
	var lastID int64
	err := tx.Query(ctx, func(rows pgx.Rows) error {
		_, err := pgx.ForEachRow(rows, []any{&n, &lastID}, func() error { return nil })
		return err
	}, "SELECT count(*), coalesce(max(id), 0) FROM (SELECT id FROM stats WHERE id > (SELECT seq FROM fold_state) AND id <= $1 ORDER BY id LIMIT $2) r",
		target, limit)
	if err != nil {
		return 0, fmt.Errorf("read unfolded records: %w", err)
	}
	last := target // ids past the last record up to target are void
	if n == limit {
		last = lastID
	}
	if last <= seq { // another fold got here first
		return 0, nil
	}
	deltas := make(rollup.Deltas)
	if n > 0 {
		err = tx.Query(ctx, func(rows pgx.Rows) error {
			var c rollup.Cell
			var a podium.Aggregate
			_, err := pgx.ForEachRow(rows, []any{&c.Width, &c.Bucket, &c.Series, &a.Tests, &a.SumSegDuration,
				&a.SumRoundTrip, &a.SumSuccessRate, &a.SumUpload, &a.SumTranscode, &a.SumDownload,
				&a.SegmentsSent, &a.SegmentsReceived, &a.VerifiedRenditions, &a.VerificationFailures}, func() error {
				deltas[c] = a
				return nil
			})
			return err
		}, foldCells, seq, last, rollup.Widths, horizon)
		if err != nil {
			return 0, fmt.Errorf("fold into rollups: %w", err)
		}
	}
	if err := writeLatePacks(ctx, tx, deltas, horizon); err != nil {
		return 0, err
	}
	tx.Queue("UPDATE fold_state SET seq = $1", last)
	return n, nil
}
