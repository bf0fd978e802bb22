package snapshot

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/podiumhq/podium"
)

// Scheduler takes each round's snapshot at its snapshot time, once: with
// several replicas over one PostgreSQL database, the Locker lets one take
// it and the others find it stored.
type Scheduler struct {
	Stats    podium.StatsStore
	Programs podium.ProgramStore
	Locker   podium.Locker
	Registry podium.Registry // nil: names fall back to addresses
	Program  *podium.Program

	Now   func() time.Time
	After func(time.Duration) <-chan time.Time // default time.After
	Retry time.Duration                        // wait after a failure or a busy lock; default 30 s
	// MaxLate is how long after its time a snapshot is still taken on its
	// own (default 24 h). An older one is left to `podium snapshot`, so a
	// service started on a program's history over an empty database never
	// freezes an empty snapshot of a past round.
	MaxLate time.Duration
	Logger  *slog.Logger

	// OnTaken, when set, is called after this process took and stored a
	// snapshot (not when another replica did).
	OnTaken func(podium.StoredSnapshot)
}

// Run waits for each round's snapshot time in turn and takes the snapshot,
// until every round has one or ctx is done.
func (s *Scheduler) Run(ctx context.Context) error {
	after := s.After
	if after == nil {
		after = time.After
	}
	retry := s.Retry
	if retry <= 0 {
		retry = 30 * time.Second
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	logger := s.Logger
	rounds := append([]podium.Round{}, s.Program.Rounds...)
	sort.Slice(rounds, func(i, j int) bool { return rounds[i].Snapshot.At.Before(rounds[j].Snapshot.At) })
	for _, r := range rounds {
		for {
			done, err := s.step(ctx, r)
			if err != nil {
				logger.Error("snapshot failed", "program", s.Program.Name, "round", r.ID, "err", err)
			}
			if done {
				break
			}
			wait := retry
			if now := s.Now(); err == nil && now.Before(r.Snapshot.At) {
				wait = r.Snapshot.At.Sub(now)
				logger.Info("snapshot scheduled", "program", s.Program.Name, "round", r.ID, "at", r.Snapshot.At, "in", wait.Round(time.Second))
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-after(wait):
			}
		}
	}
	return nil
}

// step takes round r's snapshot if it is due and not stored; done reports
// that it is stored.
func (s *Scheduler) step(ctx context.Context, r podium.Round) (done bool, err error) {
	if _, err := s.Programs.Snapshot(ctx, s.Program.Name, r.ID); err == nil {
		return true, nil
	} else if podium.ErrorCode(err) != podium.ENOTFOUND {
		return false, err
	}
	now := s.Now()
	if now.Before(r.Snapshot.At) {
		return false, nil
	}
	maxLate := s.MaxLate
	if maxLate <= 0 {
		maxLate = 24 * time.Hour
	}
	if now.Sub(r.Snapshot.At) > maxLate {
		s.Logger.Warn("snapshot time long past; not taking it on its own", "program", s.Program.Name, "round", r.ID,
			"at", r.Snapshot.At, "hint", "take it with podium snapshot --program FILE --round N")
		return true, nil
	}
	name := fmt.Sprintf("podium.snapshot.%s.%d", s.Program.Name, r.ID)
	ran, err := s.Locker.TryLock(ctx, name, func(ctx context.Context) error {
		if _, err := s.Programs.Snapshot(ctx, s.Program.Name, r.ID); err == nil {
			return nil // another replica took it while we waited for the lock
		}
		f := &Freezer{Stats: s.Stats, Programs: s.Programs, Registry: s.Registry, AllowEmpty: true}
		stored, err := f.Freeze(ctx, s.Program, r.ID, now)
		if err != nil {
			return err
		}
		s.Logger.Info("snapshot taken", "program", s.Program.Name, "round", r.ID, "id", stored.ID)
		if s.OnTaken != nil {
			s.OnTaken(stored)
		}
		return nil
	})
	if err != nil || !ran {
		return false, err
	}
	return true, nil
}
