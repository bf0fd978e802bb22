package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

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
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		added = 0
		for i, c := range recs {
			tag, err := tx.Exec(ctx, `INSERT INTO capacity (test_id, orchestrator, region, timestamp, body) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (test_id) DO NOTHING`, c.TestID, c.Orchestrator, c.Region, c.Timestamp, string(bodies[i]))
			if err != nil {
				return unavailable("insert capacity", err)
			}
			added += int(tag.RowsAffected())
		}
		return nil
	})
	return added, err
}

// Capacities implements podium.CapacityStore.
func (db *DB) Capacities(ctx context.Context, q podium.CapacityQuery) ([]podium.Capacity, error) {
	return rollup.Capacities(ctx, pgConn{db.pool}, dialect, q, unavailable)
}
