package probe

import (
	"context"

	"github.com/podiumhq/podium"
)

// CapacityPoster posts one capacity record to the leaderboard (signed), with
// the errors of a Poster.
type CapacityPoster interface {
	PostCapacity(ctx context.Context, rec podium.Capacity) error
}

// CapacityPosterFunc adapts a function to CapacityPoster.
type CapacityPosterFunc func(ctx context.Context, rec podium.Capacity) error

// PostCapacity calls f.
func (f CapacityPosterFunc) PostCapacity(ctx context.Context, rec podium.Capacity) error {
	return f(ctx, rec)
}

// SendCapacity spools a capacity record and posts it, as Send does a stats
// record: nil once it is safely spooled, posted or not yet; a post that
// failed is retried by Drain, in this run or the next.
func (s *Sender) SendCapacity(ctx context.Context, rec podium.Capacity) error {
	if err := s.Spool.PutCapacity(rec); err != nil {
		return err
	}
	s.Metrics.spooled()
	if s.Capacity != nil {
		s.postCapacity(ctx, rec)
	}
	s.Metrics.setSpool(s.Spool)
	return nil
}

// drainCapacity posts the spooled capacity records once each (Drain) and
// returns how many the leaderboard stored.
func (s *Sender) drainCapacity(ctx context.Context) (sent int, err error) {
	if s.Capacity == nil {
		return 0, nil
	}
	recs, err := s.Spool.Capacities()
	if err != nil {
		return 0, err
	}
	for _, rec := range recs {
		if ctx.Err() != nil {
			break
		}
		if s.postCapacity(ctx, rec) {
			sent++
		} else if s.down.Load() {
			break
		}
	}
	return sent, nil
}

func (s *Sender) postCapacity(ctx context.Context, rec podium.Capacity) bool {
	return s.post(ctx, "capacity", rec.TestID,
		func(ctx context.Context) error { return s.Capacity.PostCapacity(ctx, rec) },
		s.Spool.RemoveCapacity, s.Spool.RejectCapacity)
}
