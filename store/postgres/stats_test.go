package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

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

// TestDB_ImportStats_Race covers ImportStats's fallback: a key that a
// concurrent writer stores between the lookup of stored keys and the COPY
// fails the COPY, and the batch is merged instead, storing every other
// record once and that key once.
func TestDB_ImportStats_Race(t *testing.T) {
	db := open(t, storetest.FreshSchema(t, storetest.PostgresDSN(t)))
	ctx := context.Background()
	recs := make([]podium.Stats, 100)
	for i := range recs {
		recs[i] = storetest.Record(i%10, "FRA", storetest.Base+int64(i))
	}
	raced := recs[42]
	if _, err := db.Pool().Exec(ctx, "INSERT INTO series (orchestrator, region) VALUES ($1, $2)", raced.Orchestrator, raced.Region); err != nil {
		t.Fatal(err)
	}
	// The other writer: its row holds the key, uncommitted, until the
	// import waits for it.
	other, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback(ctx)
	if _, err := other.Exec(ctx, `INSERT INTO stats (record_key, series, ts, test_id, segments_sent,
		segments_received, success_rate, seg_duration, upload_time, download_time, transcode_time,
		round_trip_time, errors, verified_renditions, verification_failures, seg_duration_us,
		round_trip_us, success_rate_e9, upload_us, transcode_us, download_us, received_at)
		SELECT $1, id, $2, $1, 1, 1, 1, 1, 1, 1, 1, 1, '[]', 0, 0, 1, 1, 1, 1, 1, 1, now()
		FROM series WHERE orchestrator = $3 AND region = $4`,
		raced.Key(), raced.Timestamp, raced.Orchestrator, raced.Region); err != nil {
		t.Fatal(err)
	}
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := db.ImportStats(ctx, recs)
		done <- result{n, err}
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var waiting int
		if err := db.Pool().QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the import never waited for the other writer's key")
		}
	}
	if err := other.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.n != len(recs)-1 {
		t.Fatalf("ImportStats: %d, %v; want %d new", r.n, r.err, len(recs)-1)
	}
	var stored, keys int
	if err := db.Pool().QueryRow(ctx, "SELECT count(*), count(DISTINCT record_key) FROM stats").Scan(&stored, &keys); err != nil {
		t.Fatal(err)
	}
	if stored != len(recs) || keys != len(recs) {
		t.Fatalf("stored %d records with %d keys, want %d", stored, keys, len(recs))
	}
	if n, err := db.ImportStats(ctx, recs); err != nil || n != 0 {
		t.Fatalf("ImportStats again: %d, %v; want 0 new", n, err)
	}
}
