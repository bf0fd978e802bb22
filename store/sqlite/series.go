package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// seriesKey names one orchestrator × region series.
type seriesKey struct{ orchestrator, region string }

// seriesCache remembers committed series IDs; they never change.
type seriesCache struct {
	mu    sync.Mutex
	ids   map[seriesKey]int64
	names map[int64]seriesKey
}

func (c *seriesCache) get(k seriesKey) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.ids[k]
	return id, ok
}

// remember records IDs read or created by a transaction that committed.
func (c *seriesCache) remember(ids map[seriesKey]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.names == nil {
		c.names = make(map[int64]seriesKey)
	}
	for k, id := range ids {
		c.ids[k] = id
		c.names[id] = k
	}
}

// name returns the series with ID id, if cached.
func (c *seriesCache) name(id int64) (seriesKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.names[id]
	return k, ok
}

// seriesID returns the ID of series k, creating it in tx if needed.
func seriesID(ctx context.Context, tx *sql.Tx, k seriesKey) (int64, error) {
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO series (orchestrator, region) VALUES (?, ?) ON CONFLICT DO NOTHING",
		k.orchestrator, k.region); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx,
		"SELECT id FROM series WHERE orchestrator = ? AND region = ?",
		k.orchestrator, k.region).Scan(&id)
	return id, err
}
