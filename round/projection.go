package round

import (
	"context"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/snapshot"
)

// Projection is what a round would pay if its snapshot were taken At.
type Projection struct {
	At           time.Time           `json:"at"`
	Distribution podium.Distribution `json:"distribution"`
	// Snapshot is the snapshot the projection was computed from, for the
	// standings of a projection report. It is shared by every asker of the
	// same minute: read it, never change it.
	Snapshot *podium.Snapshot `json:"-"`
}

// projections holds the current minute's projections. Taking a snapshot
// reads every raw record of the window, so askers wait for one computation
// (one at a time) rather than each starting its own.
type projections struct {
	mu   sync.Mutex
	byAt map[projectionKey]*Projection
}

// projectionKey names a round's projection at a time.
type projectionKey struct {
	round int
	at    int64
}

// Projection returns what round id would pay if its snapshot were taken at
// the start of the current minute over the round's window — or at its
// snapshot time, once that has passed, since records after it never
// count. Nothing is stored; each minute's projection is computed once.
func (s *Service) Projection(ctx context.Context, id int) (*Projection, error) {
	r, err := s.Program.Round(id)
	if err != nil {
		return nil, err
	}
	at := s.now().UTC().Truncate(time.Minute)
	if at.After(r.Snapshot.At) {
		at = r.Snapshot.At
	}
	key := projectionKey{id, at.Unix()}
	c := &s.projections
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.byAt[key]; ok {
		return p, nil
	}
	snap, err := snapshot.TakeAt(ctx, s.Stats, s.Registry, s.Program, id, at, r.Snapshot.Window)
	if err != nil {
		return nil, err
	}
	out, err := rules.Project(s.Program, id, snap)
	if err != nil {
		return nil, err
	}
	if c.byAt == nil {
		c.byAt = map[projectionKey]*Projection{}
	}
	for k := range c.byAt {
		if k.at != key.at {
			delete(c.byAt, k) // an older minute's
		}
	}
	p := &Projection{At: at, Distribution: out.Distribution, Snapshot: snap}
	c.byAt[key] = p
	return p, nil
}
