package rollup_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/podiumhq/podium/store/rollup"
)

func TestQueue_Add(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		var (
			q      rollup.Queue
			lock   sync.Mutex
			mu     sync.Mutex
			writes int
			rows   int
		)
		write := func(_ context.Context, group []*rollup.Batch) {
			mu.Lock()
			writes++
			mu.Unlock()
			for _, b := range group {
				rows += len(b.Rows)
				b.Answer(len(b.Rows), nil)
			}
		}
		const callers = 64
		var wg sync.WaitGroup
		errs := make(chan error, callers)
		for i := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := i%3 + 1
				added, err := q.Add(context.Background(), make([]rollup.Record, n), &lock, write)
				if err != nil || added != n {
					errs <- errors.New("wrong answer")
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if want := 64/3*6 + 1; rows != want { // 21 full cycles of 1+2+3, then 1
			t.Fatalf("wrote %d rows, want %d", rows, want)
		}
		if writes < 1 || writes > callers {
			t.Fatalf("%d writes for %d callers", writes, callers)
		}
		if groups, records := q.Counts(); groups != uint64(writes) || records != uint64(rows) {
			t.Fatalf("Counts() = %d groups, %d records; want %d, %d", groups, records, writes, rows)
		}
	})
	t.Run("ErrWrite", func(t *testing.T) {
		var (
			q    rollup.Queue
			lock sync.Mutex
		)
		boom := errors.New("disk full")
		_, err := q.Add(context.Background(), make([]rollup.Record, 2), &lock, func(_ context.Context, group []*rollup.Batch) {
			for _, b := range group {
				b.Answer(0, boom)
			}
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want %v", err, boom)
		}
	})
}
