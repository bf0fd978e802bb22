package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

// Folder is a store that appends records and folds them into its rollups
// later (store/rollup/fold.go). Its answers must not depend on what is
// folded yet.
type Folder interface {
	podium.StatsStore
	Fold(ctx context.Context) (int, error)
}

// foldAll folds every record appended so far, when st folds.
func foldAll(t testing.TB, st podium.StatsStore) {
	t.Helper()
	f, ok := st.(Folder)
	if !ok {
		return
	}
	for {
		n, err := f.Fold(context.Background())
		if err != nil {
			t.Fatalf("Fold: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// foldWhile folds st over and over, as a busy store's upkeep does, until
// the returned stop is called; stop reports a failed fold.
func foldWhile(t testing.TB, st podium.StatsStore) (stop func()) {
	f, ok := st.(Folder)
	if !ok {
		return func() {}
	}
	done := make(chan struct{})
	var (
		wg    sync.WaitGroup
		first error
		folds int
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			n, err := f.Fold(context.Background())
			if err != nil {
				first = err
				return
			}
			if n > 0 {
				folds++
			} else {
				time.Sleep(time.Millisecond) // nothing to fold: let writers append
			}
		}
	}()
	return func() {
		t.Helper()
		close(done)
		wg.Wait()
		if first != nil {
			t.Fatalf("Fold while writing: %v", first)
		}
		t.Logf("%d folds ran while records were written", folds)
	}
}
