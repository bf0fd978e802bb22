package probe

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/podiumhq/podium"
)

// Poster posts one stats record to the leaderboard (signed). An error with
// code podium.EINVALID means the leaderboard refused the record itself; any
// other error may go away on a retry.
type Poster interface {
	PostStats(ctx context.Context, rec podium.Stats) error
}

// Backoff is an exponential retry schedule.
type Backoff struct {
	Initial  time.Duration // first wait
	Max      time.Duration // cap on one wait
	Attempts int           // posts per record per Send or drain, ≥ 1
}

// DefaultBackoff tries 4 times, waiting 0.5 s, 1 s, 2 s between.
var DefaultBackoff = Backoff{Initial: 500 * time.Millisecond, Max: 30 * time.Second, Attempts: 4}

// Wait returns the wait before attempt n (n ≥ 1 is the first retry).
func (b Backoff) Wait(n int) time.Duration {
	d := b.Initial
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// Sender posts records through a Spool: a record is on disk before its first
// post and leaves the disk only once the leaderboard has stored it, so a
// leaderboard that is down loses nothing. The leaderboard stores a test_id
// once, so a record posted twice (a crash between post and removal) is
// still stored once.
type Sender struct {
	Poster Poster
	// Capacity posts capacity records (SendCapacity); nil leaves any
	// spooled ones waiting.
	Capacity CapacityPoster
	Spool    *Spool
	Backoff  Backoff
	Sleep    func(ctx context.Context, d time.Duration) error
	Logger   *slog.Logger
	Metrics  *Metrics

	mu       sync.Mutex
	inflight map[string]bool
	// down is set when a record used up its attempts: until a post gets
	// through again, each record gets one attempt, so a leaderboard that
	// is down costs one backoff schedule, not one per record.
	down atomic.Bool
}

// Send spools rec and posts it, retrying with backoff. It returns nil once
// rec is safely spooled, whether or not the post succeeded yet (a failed
// post stays spooled for Drain); the error is for a record that could not
// even be spooled.
func (s *Sender) Send(ctx context.Context, rec podium.Stats) error {
	if err := s.Spool.Put(rec); err != nil {
		return err
	}
	s.Metrics.spooled()
	s.postStats(ctx, rec)
	s.Metrics.setSpool(s.Spool)
	return nil
}

// Drain posts every spooled record once through the backoff schedule,
// stats records then capacity records, and returns how many the
// leaderboard stored and how many are left.
func (s *Sender) Drain(ctx context.Context) (sent, left int, err error) {
	recs, err := s.Spool.List()
	if err != nil {
		return 0, 0, err
	}
	for _, rec := range recs {
		if ctx.Err() != nil {
			break
		}
		if s.postStats(ctx, rec) {
			sent++
		} else if s.down.Load() {
			break // still down: the next pass will try again
		}
	}
	n, err := s.drainCapacity(ctx)
	sent += n
	if err != nil {
		return sent, 0, err
	}
	left, err = s.Spool.Len()
	s.Metrics.setSpool(s.Spool)
	return sent, left, err
}

// Run drains the spool now and then every interval until ctx is done.
func (s *Sender) Run(ctx context.Context, every time.Duration) error {
	for {
		sent, left, err := s.Drain(ctx)
		if err != nil {
			s.Logger.Error("drain spool", "err", err)
		} else if sent > 0 || left > 0 {
			s.Logger.Info("drained spool", "sent", sent, "left", left)
		}
		if err := s.Sleep(ctx, every); err != nil {
			return nil
		}
	}
}

// postStats posts one stats record (post).
func (s *Sender) postStats(ctx context.Context, rec podium.Stats) bool {
	return s.post(ctx, "stats", rec.TestID,
		func(ctx context.Context) error { return s.Poster.PostStats(ctx, rec) },
		s.Spool.Remove, s.Spool.Reject)
}

// post tries one record, of kind and test testID, through the backoff
// schedule with try and reports whether the leaderboard stored it; then
// remove forgets it, or reject sets aside one the leaderboard refused.
// Only one goroutine posts a given record at a time.
func (s *Sender) post(ctx context.Context, kind, testID string, try func(context.Context) error, remove, reject func(testID string) error) bool {
	key := kind + "/" + testID
	if !s.claim(key) {
		return false
	}
	defer s.release(key)
	attempts := max(s.Backoff.Attempts, 1)
	if s.down.Load() {
		attempts = 1
	}
	for n := 0; n < attempts; n++ {
		if n > 0 {
			if err := s.Sleep(ctx, s.Backoff.Wait(n)); err != nil {
				return false
			}
		}
		err := try(ctx)
		if err == nil {
			s.down.Store(false)
			s.Metrics.posted("ok")
			if err := remove(testID); err != nil {
				s.Logger.Error("unspool", "kind", kind, "test_id", testID, "err", err)
			}
			return true
		}
		if podium.ErrorCode(err) == podium.EINVALID {
			s.Metrics.posted("rejected")
			s.Logger.Error("leaderboard refused record; kept in spool/rejected", "kind", kind, "test_id", testID, "err", err)
			if err := reject(testID); err != nil {
				s.Logger.Error("reject", "kind", kind, "test_id", testID, "err", err)
			}
			return false
		}
		s.Metrics.posted("error")
		s.Logger.Warn("post "+kind, "test_id", testID, "attempt", n+1, "of", attempts, "err", err)
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return false
		}
	}
	if !s.down.Swap(true) {
		s.Logger.Warn("leaderboard unreachable; records stay spooled until it is back", "spool", s.Spool.Dir())
	}
	return false
}

func (s *Sender) claim(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight == nil {
		s.inflight = map[string]bool{}
	}
	if s.inflight[id] {
		return false
	}
	s.inflight[id] = true
	return true
}

func (s *Sender) release(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.inflight, id)
}

// PosterFunc adapts a function to Poster.
type PosterFunc func(ctx context.Context, rec podium.Stats) error

// PostStats calls f.
func (f PosterFunc) PostStats(ctx context.Context, rec podium.Stats) error { return f(ctx, rec) }
