package sqlite

import (
	"context"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// ImportStats appends a large batch of records in one write transaction,
// through the same prepared statements as AddStats but without waiting for
// a group commit, and returns how many were new. Like AddStats it leaves
// folding to Fold. It is for imports: a live poster gets its answer sooner
// from AddStats's group commits.
func (db *DB) ImportStats(ctx context.Context, recs []podium.Stats) (int, error) {
	rows, err := rollup.Prepare(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	db.wmu.Lock()
	added, err := db.insert(ctx, []*rollup.Batch{{Rows: rows}})
	db.wmu.Unlock()
	if err != nil {
		return 0, unavailable("import stats", err)
	}
	db.backlog.Appended(added[0])
	return added[0], nil
}
