package postgres

import (
	"context"
	"sort"
	"sync"

	"github.com/jackc/pgx/v5"
)

// seriesKey names one orchestrator × region series.
type seriesKey struct{ orchestrator, region string }

// seriesCache remembers committed series IDs, both ways; they never change.
type seriesCache struct {
	mu   sync.Mutex
	ids  map[seriesKey]int64
	byID map[int64]seriesKey
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
	if c.ids == nil {
		c.ids, c.byID = make(map[seriesKey]int64), make(map[int64]seriesKey)
	}
	for k, id := range ids {
		c.ids[k], c.byID[id] = id, k
	}
}

// names returns the cached keys of ids and the IDs not cached.
func (c *seriesCache) names(ids []int64) (map[int64]seriesKey, []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make(map[int64]seriesKey, len(ids))
	var missing []int64
	for _, id := range ids {
		if k, ok := c.byID[id]; ok {
			names[id] = k
		} else {
			missing = append(missing, id)
		}
	}
	return names, missing
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
	return tx.Query(ctx, func(rows pgx.Rows) error { return scanSeries(rows, ids) }, `SELECT s.id, s.orchestrator, s.region FROM series s
		JOIN unnest($1::text[], $2::text[]) AS u(o, r) ON s.orchestrator = u.o AND s.region = u.r`, orchs, regions)
}

// scanSeries reads rows of id, orchestrator and region into ids.
func scanSeries(rows pgx.Rows, ids map[seriesKey]int64) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k seriesKey
		if err := rows.Scan(&id, &k.orchestrator, &k.region); err != nil {
			return err
		}
		ids[k] = id
	}
	return rows.Err()
}
