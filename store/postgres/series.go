package postgres

import (
	"context"
	"sort"
	"sync"

	"github.com/jackc/pgx/v5"
)

// seriesKey names one orchestrator × region series.
type seriesKey struct{ orchestrator, region string }

// seriesCache remembers committed series IDs; they never change.
type seriesCache struct {
	mu  sync.Mutex
	ids map[seriesKey]int64
}

// lookup returns the cached IDs of keys and the keys not cached.
func (c *seriesCache) lookup(keys map[seriesKey]bool) (map[seriesKey]int64, []seriesKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make(map[seriesKey]int64, len(keys))
	var missing []seriesKey
	for k := range keys {
		if id, ok := c.ids[k]; ok {
			ids[k] = id
		} else {
			missing = append(missing, k)
		}
	}
	return ids, missing
}

// remember records IDs read or created by a transaction that committed.
func (c *seriesCache) remember(ids map[seriesKey]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, id := range ids {
		c.ids[k] = id
	}
}

// createSeries adds the missing series in tx (in a fixed order, so that
// concurrent writers do not deadlock) and stores their IDs in ids.
func createSeries(ctx context.Context, tx *pipeTx, missing []seriesKey, ids map[seriesKey]int64) error {
	if len(missing) == 0 {
		return nil
	}
	sort.Slice(missing, func(i, j int) bool {
		a, b := missing[i], missing[j]
		return a.orchestrator < b.orchestrator || a.orchestrator == b.orchestrator && a.region < b.region
	})
	orchs, regions := make([]string, len(missing)), make([]string, len(missing))
	for i, k := range missing {
		orchs[i], regions[i] = k.orchestrator, k.region
	}
	tx.Queue(`INSERT INTO series (orchestrator, region)
		SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, orchs, regions)
	return tx.Query(ctx, func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			var k seriesKey
			if err := rows.Scan(&id, &k.orchestrator, &k.region); err != nil {
				return err
			}
			ids[k] = id
		}
		return rows.Err()
	}, `SELECT s.id, s.orchestrator, s.region FROM series s
		JOIN unnest($1::text[], $2::text[]) AS u(o, r) ON s.orchestrator = u.o AND s.region = u.r`, orchs, regions)
}
