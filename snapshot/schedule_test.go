package snapshot_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/snapshot"
	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
)

type backend interface {
	podium.StatsStore
	podium.ProgramStore
	podium.Locker
}

func loadRound1(t *testing.T) *podium.Program {
	t.Helper()
	p, _, err := program.Load("../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeClock is a clock that the scheduler's waits advance.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}

func TestScheduler_Run(t *testing.T) {
	ctx := context.Background()
	p := loadRound1(t)
	t.Run("OKWaitsForItsTime", func(t *testing.T) {
		db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "podium.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.AddStats(ctx, round1.Records()[:168]); err != nil { // one orchestrator's week
			t.Fatal(err)
		}
		clock := &fakeClock{now: round1.At.Add(-50 * time.Hour)}
		s := &snapshot.Scheduler{Stats: db, Programs: db, Locker: db, Program: p, Now: clock.Now, After: clock.After}
		if err := s.Run(ctx); err != nil {
			t.Fatal(err)
		}
		stored, err := db.Snapshot(ctx, p.Name, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !stored.TakenAt.Equal(round1.At) {
			t.Fatalf("taken at %s, want %s", stored.TakenAt, round1.At)
		}
	})
	t.Run("OKLongPastLeftAlone", func(t *testing.T) {
		db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "podium.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		s := &snapshot.Scheduler{Stats: db, Programs: db, Locker: db, Program: p, Now: func() time.Time { return round1.At.Add(25 * time.Hour) }}
		if err := s.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Snapshot(ctx, p.Name, 1); podium.ErrorCode(err) != podium.ENOTFOUND {
			t.Fatalf("a long past snapshot was taken: %v", err)
		}
	})
	t.Run("OKOnceAcrossReplicas", func(t *testing.T) {
		dsn := storetest.FreshSchema(t, storetest.PostgresDSN(t))
		var replicas []backend
		for i := 0; i < 3; i++ {
			db, err := postgres.Open(ctx, dsn, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			replicas = append(replicas, db)
		}
		if _, err := replicas[0].AddStats(ctx, round1.Records()); err != nil {
			t.Fatal(err)
		}
		var taken atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, len(replicas))
		for _, db := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := &snapshot.Scheduler{Stats: db, Programs: db, Locker: db, Program: p, Retry: 10 * time.Millisecond,
					Now: func() time.Time { return round1.At.Add(time.Second) }, OnTaken: func(podium.StoredSnapshot) { taken.Add(1) }}
				errs <- s.Run(ctx)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := taken.Load(); n != 1 {
			t.Fatalf("the snapshot was taken %d times", n)
		}
		stored, err := replicas[2].Snapshot(ctx, p.Name, 1)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := snapshot.Take(ctx, replicas[1], nil, p, 1)
		if b, _ := want.Canonical(); string(b) != string(stored.Body) {
			t.Fatal("the stored snapshot differs from one taken now")
		}
	})
}
