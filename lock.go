package podium

import "context"

// Locker runs a job in at most one process at a time: with several replicas
// of the service over one PostgreSQL database, a scheduled job (taking a
// round's snapshot) runs in only one of them.
type Locker interface {
	// TryLock runs fn while holding the lock called name and reports true;
	// when another holder has it, it returns false at once without running fn.
	TryLock(ctx context.Context, name string, fn func(context.Context) error) (bool, error)
}
