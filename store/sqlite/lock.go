package sqlite

import (
	"context"
	"fmt"
	"sync"

	"github.com/podiumhq/podium"
)

var _ podium.Locker = (*DB)(nil)

// locks are the named locks of this process. A SQLite database is served by
// one process, so an in-process lock is the whole story.
var locks sync.Map // name → *sync.Mutex

// TryLock runs fn while holding the lock called name in this process.
func (db *DB) TryLock(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	mu, _ := locks.LoadOrStore(db.path+"\x00"+name, new(sync.Mutex))
	if !mu.(*sync.Mutex).TryLock() {
		return false, nil
	}
	defer mu.(*sync.Mutex).Unlock()
	if err := fn(ctx); err != nil {
		return true, fmt.Errorf("%s: %w", name, err)
	}
	return true, nil
}
