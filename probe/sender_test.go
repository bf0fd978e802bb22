package probe_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
)

// board is a leaderboard stand-in for the sender's retry logic: it stores
// records by test_id (idempotent, like the real one) and can be taken down.
// The acceptance test posts to the real leaderboard.
type board struct {
	mu     sync.Mutex
	down   bool
	posts  int
	stored map[string]podium.Stats
}

func (b *board) PostStats(_ context.Context, r podium.Stats) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.posts++
	if b.down {
		return podium.Errorf(podium.EUNAVAILABLE, "connection refused")
	}
	if r.Region == "XXX" {
		return podium.FieldError("region", "unknown region")
	}
	if b.stored == nil {
		b.stored = map[string]podium.Stats{}
	}
	b.stored[r.TestID] = r
	return nil
}

func (b *board) setDown(v bool) { b.mu.Lock(); b.down = v; b.mu.Unlock() }

func newSender(t *testing.T, p probe.Poster) (*probe.Sender, *[]time.Duration) {
	t.Helper()
	var waits []time.Duration
	return &probe.Sender{
		Poster:  p,
		Spool:   openSpool(t, t.TempDir()),
		Backoff: probe.Backoff{Initial: time.Second, Max: 3 * time.Second, Attempts: 4},
		Sleep: func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			return ctx.Err()
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, &waits
}

func TestSender_Send(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		b := &board{}
		s, waits := newSender(t, b)
		if err := s.Send(ctx, rec("a", 1)); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Spool.Len(); n != 0 || len(b.stored) != 1 || len(*waits) != 0 {
			t.Fatalf("spool %d, stored %d, waits %v", n, len(b.stored), *waits)
		}
	})
	t.Run("ErrDownThenDrained", func(t *testing.T) {
		b := &board{down: true}
		s, waits := newSender(t, b)
		for _, id := range []string{"a", "b"} {
			if err := s.Send(ctx, rec(id, 1)); err != nil {
				t.Fatal(err)
			}
		}
		// The first record gets the whole schedule; once the leaderboard is
		// known down, the next gets one attempt.
		if b.posts != 5 {
			t.Errorf("posts = %d, want 4 + 1", b.posts)
		}
		want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}
		if len(*waits) != 3 || (*waits)[0] != want[0] || (*waits)[1] != want[1] || (*waits)[2] != want[2] {
			t.Errorf("waits = %v, want %v (capped exponential)", *waits, want)
		}
		// A drain while still down stops at the first failure.
		if sent, left, _ := s.Drain(ctx); sent != 0 || left != 2 || b.posts != 6 {
			t.Errorf("drain while down: sent %d left %d posts %d, want 0, 2, 6", sent, left, b.posts)
		}
		if n, _ := s.Spool.Len(); n != 2 {
			t.Fatalf("spool = %d, want both records kept", n)
		}
		b.setDown(false)
		sent, left, err := s.Drain(ctx)
		if err != nil || sent != 2 || left != 0 || len(b.stored) != 2 {
			t.Fatalf("drain = %d sent, %d left, %v; stored %d", sent, left, err, len(b.stored))
		}
	})
	t.Run("ErrRefused", func(t *testing.T) {
		b := &board{}
		s, _ := newSender(t, b)
		r := rec("bad", 1)
		r.Region = "XXX"
		if err := s.Send(ctx, r); err != nil {
			t.Fatal(err)
		}
		if b.posts != 1 {
			t.Errorf("posts = %d; a refused record is not retried", b.posts)
		}
		if n, _ := s.Spool.Len(); n != 0 {
			t.Errorf("spool = %d; a refused record leaves the queue for rejected/", n)
		}
	})
	t.Run("ErrCancelled", func(t *testing.T) {
		b := &board{down: true}
		s, _ := newSender(t, b)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Send(cctx, rec("a", 1)); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Spool.Len(); n != 1 {
			t.Fatalf("spool = %d; the record must be kept", n)
		}
	})
}

func TestBackoff_Wait(t *testing.T) {
	b := probe.Backoff{Initial: 100 * time.Millisecond, Max: time.Second}
	for n, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 40: time.Second} {
		if got := b.Wait(n); got != want {
			t.Errorf("Wait(%d) = %v, want %v", n, got, want)
		}
	}
}
