package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// Horizon returns how far rollup cells are sealed (see packs.go).
func (db *DB) Horizon(ctx context.Context) (int64, error) {
	var h int64
	if err := db.db.QueryRowContext(ctx, "SELECT horizon FROM rollup_horizon").Scan(&h); err != nil {
		return 0, unavailable("horizon", err)
	}
	return h, nil
}

// CheckPacks verifies, in one read transaction, what Aggregates relies on:
// the packed rows hold exactly the sums of the sealed rollup cells, each at
// most a block's worth of entries, as many as it counts.
func (db *DB) CheckPacks(ctx context.Context) error {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return unavailable("check packs", err)
	}
	defer tx.Rollback()
	var h int64
	if err := tx.QueryRowContext(ctx, "SELECT horizon FROM rollup_horizon").Scan(&h); err != nil {
		return err
	}
	var check rollup.PackCheck
	err = eachRow(ctx, tx, "SELECT width, bucket, series, sums FROM rollups WHERE bucket + width <= ?1", []any{h}, func(scan func(...any) error) error {
		var c rollup.Cell
		var p []byte
		if err := scan(&c.Width, &c.Bucket, &c.Series, &p); err != nil {
			return err
		}
		var a podium.Aggregate
		if err := addPacked(&a, p); err != nil {
			return err
		}
		check.Sealed(c, a)
		return nil
	})
	if err != nil {
		return err
	}
	err = eachRow(ctx, tx, "SELECT width, bucket, block, entry_count, entries FROM rollup_packs", nil, func(scan func(...any) error) error {
		var width, bucket, block int64
		var count int
		var b []byte
		if err := scan(&width, &bucket, &block, &count, &b); err != nil {
			return err
		}
		if bucket+width > h {
			return fmt.Errorf("packed cell (%d, %d) ends after the horizon %d", width, bucket, h)
		}
		if n := len(b) / rollup.FixedSize; n != count || n > rollup.PackBlock {
			return fmt.Errorf("packed row (%d, %d, %d) has %d entries and says %d; a block has %d series", width, bucket, block, n, count, rollup.PackBlock)
		}
		sums := make(map[int64]*podium.Aggregate)
		if err := addEntries(sums, b); err != nil {
			return fmt.Errorf("packed row (%d, %d, %d): %w", width, bucket, block, err)
		}
		for id, a := range sums {
			check.Packed(width, bucket, block, id, *a)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return check.Err()
}

// eachRow runs query in tx and calls f with each row's Scan.
func eachRow(ctx context.Context, tx *sql.Tx, query string, args []any, f func(scan func(...any) error) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
