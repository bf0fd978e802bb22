package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

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
	where, args := []string{"timestamp >= ?", "timestamp < ?"}, []any{q.Since, q.Until}
	if q.Orchestrator != "" {
		where, args = append(where, "orchestrator = ?"), append(args, q.Orchestrator)
	}
	if q.Region != "" {
		where, args = append(where, "region = ?"), append(args, q.Region)
	}
	query := `SELECT body FROM capacity WHERE ` + strings.Join(where, " AND ") + ` ORDER BY timestamp DESC, region, orchestrator, test_id`
	if q.Limit > 0 {
		query, args = query+` LIMIT ?`, append(args, q.Limit)
	}
	rows, err := db.db.QueryContext(ctx, query, args...)
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
