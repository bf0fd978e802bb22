package rollup_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podiumhq/podium/store/rollup"
)

// The upkeep folds at start, and again while a fold takes a whole batch (a
// backlog).
func TestStartUpkeep_Fold(t *testing.T) {
	var backlog rollup.Backlog
	var left atomic.Int64
	left.Store(2*rollup.FoldBatch + 5) // three folds empty it
	folds := make(chan int, 16)
	fold := func(context.Context) (int, error) {
		n := min(left.Load(), rollup.FoldBatch)
		left.Add(-n)
		folds <- int(n)
		return int(n), nil
	}
	stop := rollup.StartUpkeep(slog.New(slog.DiscardHandler), time.Now, backlog.Kick(), fold,
		func(context.Context, int64) error { return nil })
	defer stop()
	for _, want := range []int{rollup.FoldBatch, rollup.FoldBatch, 5} {
		if got := <-folds; got != want {
			t.Fatalf("a fold at start took %d records, want %d", got, want)
		}
	}
}

// The backlog wakes the folder once FoldKick records wait, not before, and
// a fold's records count off.
func TestBacklog_Kick(t *testing.T) {
	var b rollup.Backlog
	b.Appended(rollup.FoldKick - 1)
	select {
	case <-b.Kick():
		t.Fatal("a backlog under FoldKick woke the folder")
	default:
	}
	b.Appended(1)
	select {
	case <-b.Kick():
	default:
		t.Fatal("a backlog of FoldKick records did not wake the folder")
	}
	b.Folded(rollup.FoldKick)
	b.Appended(1)
	select {
	case <-b.Kick():
		t.Fatal("folded records still counted in the backlog")
	default:
	}
}
