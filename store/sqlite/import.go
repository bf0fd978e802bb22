package sqlite

import (
	"context"
	"fmt"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// ImportStats appends a large batch of records and folds them into their
// rollups and packs, in one write transaction, and returns how many were
// new. It first folds the records other writers appended since the last
// fold, so that, holding the write lock, it can fold its own records from
// what it inserted, without reading them back, and move the fold mark past
// them. It is for imports: a live poster gets its answer sooner from
// AddStats's group commits.
func (db *DB) ImportStats(ctx context.Context, recs []podium.Stats) (int, error) {
	rows, err := rollup.Prepare(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	db.wmu.Lock()
	added, backlog, err := db.importFolded(ctx, rows)
	db.wmu.Unlock()
	if err != nil {
		return 0, unavailable("import stats", err)
	}
	db.backlog.Folded(backlog)
	return added, nil
}

// importFolded is ImportStats's transaction; it returns how many records
// were new and how many of other writers' it folded. The caller holds wmu.
func (db *DB) importFolded(ctx context.Context, rows []rollup.Record) (added, backlog int, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	for {
		n, err := fold(ctx, tx, rollup.FoldBatch)
		if err != nil {
			return 0, 0, err
		}
		backlog += n
		if n < rollup.FoldBatch {
			break
		}
	}
	ids := make(map[seriesKey]int64)
	deltas := make(rollup.Deltas)
	n, err := db.insertTx(ctx, tx, []*rollup.Batch{{Rows: rows}}, ids, func(r *rollup.Record, series int64) {
		deltas.Add(rollup.Unfolded{Series: series, Timestamp: r.Timestamp, Agg: r.Agg})
	})
	if err != nil {
		return 0, 0, err
	}
	if n[0] > 0 {
		if err := writeDeltas(ctx, tx, deltas); err != nil {
			return 0, 0, err
		}
		if err := writeLatePacks(ctx, tx, deltas); err != nil {
			return 0, 0, err
		}
		// Every record past the mark is folded now: the other writers'
		// above, then these; no one else writes meanwhile.
		if _, err := tx.ExecContext(ctx, "UPDATE fold_state SET seq = (SELECT max(id) FROM stats)"); err != nil {
			return 0, 0, fmt.Errorf("move the fold mark: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("commit: %w", err)
	}
	db.series.remember(ids)
	return n[0], backlog, nil
}
