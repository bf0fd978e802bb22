package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

var _ podium.CapacityStore = (*DB)(nil)

// AddCapacity implements podium.CapacityStore.
func (db *DB) AddCapacity(ctx context.Context, recs []podium.Capacity) (added int, err error) {
	bodies := make([][]byte, len(recs))
	for i, c := range recs {
		if bodies[i], err = json.Marshal(c); err != nil {
			return 0, fmt.Errorf("encode capacity %s: %w", c.TestID, err)
		}
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		added = 0
		for i, c := range recs {
			res, err := tx.ExecContext(ctx, `INSERT INTO capacity (test_id, orchestrator, region, timestamp, body) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (test_id) DO NOTHING`, c.TestID, c.Orchestrator, c.Region, c.Timestamp, string(bodies[i]))
			if err != nil {
				return unavailable("insert capacity", err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return unavailable("insert capacity", err)
			}
			added += int(n)
		}
		return nil
	})
	return added, err
}

// Capacities implements podium.CapacityStore.
func (db *DB) Capacities(ctx context.Context, q podium.CapacityQuery) ([]podium.Capacity, error) {
	return rollup.Capacities(ctx, sqlConn{db.db}, dialect, q, unavailable)
}
