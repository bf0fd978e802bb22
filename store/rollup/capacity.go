package rollup

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/podiumhq/podium"
)

// Capacities answers podium.CapacityStore.Capacities on either backend: the
// capacity records of q's window and filters, newest first, ties by region,
// orchestrator and test id in byte order, at most q.Limit when set. A
// failing query is wrapped by unavailable; a stored body that no longer
// decodes is an EINTERNAL error, not an outage.
func Capacities(ctx context.Context, c AIConn, d Dialect, q podium.CapacityQuery, unavailable func(op string, err error) error) ([]podium.Capacity, error) {
	b := &builder{d: d}
	where := []string{"timestamp >= " + b.arg(q.Since), "timestamp < " + b.arg(q.Until)}
	if q.Orchestrator != "" {
		where = append(where, "orchestrator = "+b.arg(q.Orchestrator))
	}
	if q.Region != "" {
		where = append(where, "region = "+b.arg(q.Region))
	}
	query := "SELECT body FROM capacity WHERE " + strings.Join(where, " AND ") +
		" ORDER BY timestamp DESC, region" + d.Collate + ", orchestrator" + d.Collate + ", test_id" + d.Collate
	if q.Limit > 0 {
		query += " LIMIT " + b.arg(q.Limit)
	}
	rows, err := c.Query(ctx, query, b.args...)
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
		var rec podium.Capacity
		if err := json.Unmarshal([]byte(body), &rec); err != nil {
			return nil, &podium.Error{Code: podium.EINTERNAL, Message: "capacities: a stored record does not decode", Err: err}
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("capacities", err)
	}
	return out, nil
}
