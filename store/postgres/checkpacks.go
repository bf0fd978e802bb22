package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// Horizon returns the packing horizon: every rollup cell whose bucket ends
// at or before it is packed.
func (db *DB) Horizon(ctx context.Context) (int64, error) {
	var h int64
	if err := db.pool.QueryRow(ctx, "SELECT horizon FROM rollup_horizon").Scan(&h); err != nil {
		return 0, unavailable("horizon", err)
	}
	return h, nil
}

// CheckPacks reads every sealed cell and packed row in one repeatable-read
// snapshot and reports a packed sum that is not its cell's, a row over a
// block's worth of entries, or a wrong entry_count.
func (db *DB) CheckPacks(ctx context.Context) error {
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var h int64
		if err := tx.QueryRow(ctx, "SELECT horizon FROM rollup_horizon").Scan(&h); err != nil {
			return err
		}
		var check rollup.PackCheck
		rows, err := tx.Query(ctx, "SELECT "+cellColumns+" FROM rollups WHERE bucket + width <= $1", h)
		if err != nil {
			return err
		}
		var c rollup.Cell
		var a podium.Aggregate
		if _, err := pgx.ForEachRow(rows, []any{&c.Width, &c.Bucket, &c.Series, &a.Tests, &a.SumSegDuration,
			&a.SumRoundTrip, &a.SumSuccessRate, &a.SumUpload, &a.SumTranscode, &a.SumDownload,
			&a.SegmentsSent, &a.SegmentsReceived, &a.VerifiedRenditions, &a.VerificationFailures}, func() error {
			check.Sealed(c, a)
			return nil
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, "SELECT width, bucket, block, entry_count, entries FROM rollup_packs")
		if err != nil {
			return err
		}
		var width, bucket, block int64
		var count int
		var b []byte
		_, err = pgx.ForEachRow(rows, []any{&width, &bucket, &block, &count, &b}, func() error {
			if bucket+width > h {
				return fmt.Errorf("packed cell (%d, %d) ends after the horizon %d", width, bucket, h)
			}
			n := 0
			if err := rollup.EachCompact(b, func(*rollup.Entry) error { n++; return nil }); err != nil {
				return fmt.Errorf("packed row (%d, %d, %d): %w", width, bucket, block, err)
			}
			var rs sums
			if err := rs.add(b, false); err != nil {
				return err
			}
			rs.each(func(id int64, a *podium.Aggregate) { check.Packed(width, bucket, block, id, *a) })
			if n != count || n > BlockSize {
				return fmt.Errorf("packed row (%d, %d, %d) has %d entries and says %d; a block has %d series", width, bucket, block, n, count, BlockSize)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return check.Err()
	})
}
