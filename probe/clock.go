package probe

import (
	"context"
	"time"
)

// Sleep waits d or until ctx is done, whichever is first; d ≤ 0 returns at
// once (unless ctx is already done). It is the default of every Sleep field.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
