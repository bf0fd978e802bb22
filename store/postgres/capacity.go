package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium"
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
	where, args := []string{"timestamp >= $1", "timestamp < $2"}, []any{q.Since, q.Until}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Orchestrator != "" {
		where = append(where, "orchestrator = "+arg(q.Orchestrator))
	}
	if q.Region != "" {
		where = append(where, "region = "+arg(q.Region))
	}
	// COLLATE "C": byte order, as SQLite sorts, on every server locale.
	query := `SELECT body FROM capacity WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY timestamp DESC, region COLLATE "C", orchestrator COLLATE "C", test_id COLLATE "C"`
	if q.Limit > 0 {
		query += ` LIMIT ` + arg(q.Limit)
	}
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, unavailable("capacities", err)
	}
	defer rows.Close()
	out := []podium.Capacity{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, unavailable("capacities", err)
		}
		var c podium.Capacity
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return nil, fmt.Errorf("capacities: stored record: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("capacities", err)
	}
	return out, nil
}
