package postgres

import (
	"context"
	"fmt"

	"github.com/podiumhq/podium"
)

var _ podium.Locker = (*DB)(nil)

// TryLock runs fn under the session advisory lock called name, held on one
// connection for fn's duration, so exactly one replica runs a scheduled job.
func (db *DB) TryLock(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return false, unavailable("acquire connection", err)
	}
	defer conn.Release()
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext($1))`, name).Scan(&got); err != nil {
		return false, unavailable("advisory lock", err)
	}
	if !got {
		return false, nil
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1))`, name)
	if err := fn(ctx); err != nil {
		return true, fmt.Errorf("%s: %w", name, err)
	}
	return true, nil
}
