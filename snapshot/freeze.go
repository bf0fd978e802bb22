package snapshot

import (
	"context"
	"fmt"
	"time"

	"github.com/podiumhq/podium"
)

// Freeze returns round id's stored snapshot, taking and storing it first if
// none is stored yet. A stored snapshot is returned as is, whatever records
// arrived since, so the rewards never move after it is taken. It refuses to
// take a snapshot before the round's snapshot time.
func Freeze(ctx context.Context, stats podium.StatsStore, programs podium.ProgramStore, reg podium.Registry, p *podium.Program, id int, now time.Time) (podium.StoredSnapshot, error) {
	stored, err := programs.Snapshot(ctx, p.Name, id)
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
	s, err := Take(ctx, stats, reg, p, id)
	if err != nil {
		return stored, err
	}
	body, err := s.Canonical()
	if err != nil {
		return stored, err
	}
	stored = podium.StoredSnapshot{Program: p.Name, Round: id, ID: podium.ContentID(body), TakenAt: now.UTC(), Body: body}
	if err := programs.SaveSnapshot(ctx, stored); err != nil {
		if podium.ErrorCode(err) == podium.ECONFLICT {
			// Another process stored it first; its snapshot is the one.
			return programs.Snapshot(ctx, p.Name, id)
		}
		return stored, fmt.Errorf("store snapshot: %w", err)
	}
	return programs.Snapshot(ctx, p.Name, id)
}
