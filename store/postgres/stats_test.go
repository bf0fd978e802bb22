package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/storetest"
)

// backendPID returns the server process of the pool's connection (the pool
// has one).
func backendPID(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var pid int
	if err := db.Pool().QueryRow(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	return pid
}

// TestDB_AddStats covers what the shared suite cannot: a transaction the
// server refuses halfway (PostgreSQL text cannot hold a NUL byte), alone and
// in a group commit, on a pool of one connection, which must come back
// usable every time.
func TestDB_AddStats(t *testing.T) {
	t.Run("ErrRefusedByServer", func(t *testing.T) {
		db := open(t, storetest.FreshSchema(t, storetest.PostgresDSN(t))+"&pool_max_conns=1")
		ctx := context.Background()
		bad := storetest.Record(1, "FRA", storetest.Base)
		bad.TestID = "nul\x00byte"
		pid := backendPID(t, db)
		for i := range 2 {
			if added, err := db.AddStats(ctx, []podium.Stats{bad}); err == nil {
				t.Fatalf("try %d: added %d, want an error", i, added)
			}
		}
		if got := backendPID(t, db); got != pid {
			t.Fatalf("the failed transactions were not rolled back: connection %d replaced by %d", pid, got)
		}

		// Concurrent posts share group commits with the bad one: each good
		// record is stored exactly once, the bad one is refused.
		const good = 32
		var wg sync.WaitGroup
		errs := make(chan error, good+1)
		for i := range good + 1 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := storetest.Record(i, "MDW", storetest.Base+int64(i))
				s.TestID = fmt.Sprintf("good-%d", i)
				if i == good {
					s = bad
				}
				added, err := db.AddStats(ctx, []podium.Stats{s})
				switch {
				case i == good && err == nil:
					errs <- fmt.Errorf("bad record: added %d, want an error", added)
				case i < good && (err != nil || added != 1):
					errs <- fmt.Errorf("record %d: added %d, %v", i, added, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, err := db.RawStats(ctx, podium.StatsQuery{Since: storetest.Base, Until: storetest.Base + good + 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != good {
			t.Fatalf("stored %d records, want %d", len(got), good)
		}
		aggs, err := db.Aggregates(ctx, podium.StatsQuery{Since: storetest.Base - 86400, Until: storetest.Base + 86400})
		if err != nil {
			t.Fatal(err)
		}
		tests := int64(0)
		for _, a := range aggs {
			tests += a.Tests
		}
		if tests != good {
			t.Fatalf("rollups count %d tests, want %d", tests, good)
		}
	})
}
