package snapshot

import (
	"context"
	"fmt"
	"time"

	"github.com/podiumhq/podium"
)

// Freezer takes rounds' snapshots and stores them, once.
type Freezer struct {
	Stats    podium.StatsStore
	Programs podium.ProgramStore
	Registry podium.Registry // nil: names fall back to addresses
	// AllowEmpty lets a window without a single record be frozen; without
	// it that is refused, since it almost always means the wrong database.
	AllowEmpty bool
}

// Freeze returns round id's stored snapshot, taking and storing it first if
// none is stored yet. A stored snapshot is returned as is, whatever records
// arrived since, so the rewards never move after it is taken. It refuses to
// take a snapshot before the round's snapshot time.
func (f *Freezer) Freeze(ctx context.Context, p *podium.Program, id int, now time.Time) (podium.StoredSnapshot, error) {
	stored, err := f.Programs.Snapshot(ctx, p.Name, id)
	if err == nil {
		return stored, nil
	}
	if podium.ErrorCode(err) != podium.ENOTFOUND {
		return stored, err
	}
	r, err := p.Round(id)
	if err != nil {
		return stored, err
	}
	if now.Before(r.Snapshot.At) {
		return stored, podium.Errorf(podium.ECONFLICT, "round %d's snapshot is due at %s, in %s", id,
			r.Snapshot.At.Format(time.RFC3339), r.Snapshot.At.Sub(now).Round(time.Second)).
			WithHint("wait until then, or see the standings so far with `podium report projection`")
	}
	s, err := Take(ctx, f.Stats, f.Registry, p, id)
	if err != nil {
		return stored, err
	}
	if s.Records.Count == 0 && (s.AI == nil || s.AI.Records.Count == 0) && !f.AllowEmpty {
		return stored, podium.Errorf(podium.EINVALID, "round %d's window %s – %s holds no records; a snapshot is frozen forever",
			id, r.Snapshot.Since().Format(time.RFC3339), r.Snapshot.At.Format(time.RFC3339)).
			WithHint("check --db; to freeze an empty round anyway, pass --allow-empty")
	}
	body, err := s.Canonical()
	if err != nil {
		return stored, err
	}
	stored = podium.StoredSnapshot{Program: p.Name, Round: id, ID: podium.ContentID(body), TakenAt: now.UTC(), Body: body}
	if err := f.Programs.SaveSnapshot(ctx, stored); err != nil && podium.ErrorCode(err) != podium.ECONFLICT {
		return stored, fmt.Errorf("store snapshot: %w", err)
	}
	// On a conflict another process stored it first; its snapshot is the one.
	return f.Programs.Snapshot(ctx, p.Name, id)
}
