package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"strings"

	"modernc.org/sqlite"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// Packs (see store/rollup/packs.go and migration 0003): sealed cells are
// kept again PackBlock series to a rollup_packs row, in the fixed entry
// layout (store/rollup/entry.go), which podium_sums's result has too. A
// window's packed rows go through podium_sums as rows of series packedRow,
// so the aggregate runs once per packed row instead of once per cell.
// SQLite runs one write transaction at a time, so the packer and the
// writers need no locks of their own: a writer reads the horizon inside its
// transaction.

// packedRow is the series podium_sums reads a packed row's entries as.
const packedRow = -1

// addEntries adds the entries of a packed row to sums, by series.
func addEntries(sums map[int64]*podium.Aggregate, b []byte) error {
	return rollup.EachFixed(b, func(e *rollup.Entry) error {
		a := sums[e.Series()]
		if a == nil {
			a = new(podium.Aggregate)
			sums[e.Series()] = a
		}
		return e.AddTo(a)
	})
}

// SQL functions for packs, registered with the driver:
//
//	podium_concat(blob, blob) → the two joined
//	podium_entries(series, packed) → the group's rows as packed entries
func init() {
	sqlite.MustRegisterFunction("podium_concat", &sqlite.FunctionImpl{
		NArgs: 2, Deterministic: true,
		Scalar: func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			a, _ := args[0].([]byte)
			b, _ := args[1].([]byte)
			return append(append(make([]byte, 0, len(a)+len(b)), a...), b...), nil
		},
	})
	sqlite.MustRegisterFunction("podium_entries", &sqlite.FunctionImpl{
		NArgs: 2, Deterministic: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &entriesAggregate{}, nil },
	})
}

// entriesAggregate is podium_entries.
type entriesAggregate struct{ b []byte }

func (e *entriesAggregate) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	id, ok := args[0].(int64)
	p, ok2 := args[1].([]byte)
	if !ok || !ok2 {
		return fmt.Errorf("podium_entries: want (integer, blob), got (%T, %T)", args[0], args[1])
	}
	var a podium.Aggregate
	if err := addPacked(&a, p); err != nil {
		return fmt.Errorf("podium_entries: %w", err)
	}
	e.b = rollup.AppendFixed(e.b, rollup.NewEntry(id, a))
	return nil
}

func (e *entriesAggregate) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("podium_entries is not a window function")
}

func (e *entriesAggregate) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	return e.b, nil
}

func (e *entriesAggregate) Final(*sqlite.FunctionContext) {}

// sealCells packs the rollups of width ?1 whose buckets are in (?2, ?3].
var sealCells = fmt.Sprintf(`INSERT INTO rollup_packs (width, bucket, block, entry_count, entries)
	SELECT width, bucket, series / %d, count(*), podium_entries(series, sums) FROM rollups
	WHERE width = ?1 AND bucket > ?2 AND bucket <= ?3 GROUP BY bucket, series / %d
	ON CONFLICT (width, bucket, block) DO UPDATE SET entries = excluded.entries, entry_count = excluded.entry_count`,
	rollup.PackBlock, rollup.PackBlock)

// seal packs the rollups of every width whose cells end in (old, horizon],
// replacing any packs there.
func seal(ctx context.Context, tx *sql.Tx, old, horizon int64) error {
	for _, w := range rollup.Widths {
		if _, err := tx.ExecContext(ctx, "DELETE FROM rollup_packs WHERE width = ?1 AND bucket > ?2 AND bucket <= ?3",
			w, old-w, horizon-w); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sealCells, w, old-w, horizon-w); err != nil {
			return fmt.Errorf("width %d: %w", w, err)
		}
	}
	return nil
}

// Pack seals every rollup cell whose bucket ends at or before horizon
// (rounded down to the smallest width): it packs their sums and moves the
// horizon there, rollup.PackStep at a time, each step one write
// transaction. A horizon at or before the current one changes nothing.
func (db *DB) Pack(ctx context.Context, horizon int64) error {
	horizon = rollup.Floor(horizon, rollup.Widths[0])
	for {
		var done bool
		err := db.Write(ctx, func(tx *sql.Tx) (err error) {
			done, err = packStep(ctx, tx, horizon)
			return err
		})
		if err != nil {
			return unavailable("pack rollups", err)
		}
		if done {
			return nil
		}
	}
}

// packStep moves the horizon toward target by at most rollup.PackStep past
// the next cell's end, and says whether it got there.
func packStep(ctx context.Context, tx *sql.Tx, target int64) (bool, error) {
	var old int64
	if err := tx.QueryRowContext(ctx, "SELECT horizon FROM rollup_horizon").Scan(&old); err != nil {
		return false, err
	}
	if target <= old {
		return true, nil
	}
	// No cell ends in (old, next - smallest width]: skip that time at once
	// (before the first records, or a long outage).
	from := target // no cell left to seal
	for _, w := range rollup.Widths {
		var b sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT min(bucket) FROM rollups WHERE width = ?1 AND bucket > ?2", w, old-w).Scan(&b); err != nil {
			return false, err
		}
		if b.Valid {
			from = min(from, max(old, b.Int64+w-rollup.Widths[0]))
		}
	}
	to := min(target, from+rollup.PackStep)
	if err := seal(ctx, tx, from, to); err != nil {
		return false, err
	}
	_, err := tx.ExecContext(ctx, "UPDATE rollup_horizon SET horizon = ?1", to)
	return to == target, err
}

// writeLatePacks appends to the packs, in tx, the deltas of cells sealed
// already, and packs again the rows that grew past a block's worth of
// entries. The values are written as literals, several rows a statement
// (see writeDeltas).
func writeLatePacks(ctx context.Context, tx *sql.Tx, deltas rollup.Deltas) error {
	var horizon int64
	if err := tx.QueryRowContext(ctx, "SELECT horizon FROM rollup_horizon").Scan(&horizon); err != nil {
		return fmt.Errorf("horizon: %w", err)
	}
	type row struct {
		width, bucket, block int64
		count                int
		entries              []byte
	}
	var rows []row
	for _, c := range deltas.Sorted() {
		if c.Bucket+c.Width > horizon {
			continue
		}
		blk := c.Series / rollup.PackBlock
		if n := len(rows); n == 0 || rows[n-1].width != c.Width || rows[n-1].bucket != c.Bucket || rows[n-1].block != blk {
			rows = append(rows, row{width: c.Width, bucket: c.Bucket, block: blk})
		}
		r := &rows[len(rows)-1]
		r.count++
		r.entries = rollup.AppendFixed(r.entries, rollup.NewEntry(c.Series, deltas[c]))
	}
	var values, keys strings.Builder
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), rollupChunk)]
		rows = rows[len(chunk):]
		values.Reset()
		for i, r := range chunk {
			if i > 0 {
				values.WriteString(", ")
			}
			fmt.Fprintf(&values, "(%d, %d, %d, %d, X'%x')", r.width, r.bucket, r.block, r.count, r.entries)
		}
		keys.Reset()
		err := eachRow(ctx, tx, fmt.Sprintf("INSERT INTO rollup_packs (width, bucket, block, entry_count, entries) VALUES %s "+
			"ON CONFLICT (width, bucket, block) DO UPDATE SET entries = podium_concat(rollup_packs.entries, excluded.entries), "+
			"entry_count = rollup_packs.entry_count + excluded.entry_count RETURNING width, bucket, block, entry_count > %d",
			values.String(), rollup.PackBlock), nil, func(scan func(...any) error) error {
			var w, b, k int64
			var grown bool
			if err := scan(&w, &b, &k, &grown); err != nil || !grown {
				return err
			}
			if keys.Len() > 0 {
				keys.WriteString(", ")
			}
			fmt.Fprintf(&keys, "(%d, %d, %d)", w, b, k)
			return nil
		})
		if err != nil {
			return fmt.Errorf("append packs: %w", err)
		}
		if keys.Len() == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE rollup_packs SET (entry_count, entries) = (
			SELECT count(*), podium_entries(series, sums) FROM rollups r WHERE r.width = rollup_packs.width
			AND r.bucket = rollup_packs.bucket AND r.series >= rollup_packs.block * %d AND r.series < (rollup_packs.block + 1) * %d)
			WHERE (width, bucket, block) IN (VALUES %s)`, rollup.PackBlock, rollup.PackBlock, keys.String())); err != nil {
			return fmt.Errorf("repack: %w", err)
		}
	}
	return nil
}

// rebuildPacks packs again, in tx, every cell sealed by the current
// horizon, from rollups.
func rebuildPacks(ctx context.Context, tx *sql.Tx) error {
	var horizon int64
	if err := tx.QueryRowContext(ctx, "SELECT horizon FROM rollup_horizon").Scan(&horizon); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM rollup_packs"); err != nil {
		return err
	}
	return seal(ctx, tx, math.MinInt64/4, horizon)
}
