package ui

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/snapshot"
)

// ProgramRounds serves a loaded program's rounds to the pages, from the
// program engine: published versions and frozen snapshots from Versions,
// distributions recomputed from them (they are a pure function of rules and
// snapshot), projections from the stats stored so far.
type ProgramRounds struct {
	Program  *podium.Program
	Text     []byte              // the program file as loaded
	Stats    podium.StatsStore   // required
	Registry podium.Registry     // names and payout addresses; may be nil
	Versions podium.ProgramStore // published versions and snapshots; nil: none
	Payouts  Payouts             // transactions named in the results; may be nil
	Now      func() time.Time

	mu          sync.Mutex
	cache       map[string]results                     // by round, snapshot id and transactions
	projections map[projectionKey]*podium.Distribution // the current minute's
}

var _ Rounds = (*ProgramRounds)(nil)

// Rounds lists the program's rounds with their stored snapshots.
func (p *ProgramRounds) Rounds(ctx context.Context) ([]Round, error) {
	var out []Round
	for _, r := range p.Program.Rounds {
		rd := p.base(r)
		snap, err := p.storedSnapshot(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		rd.Snapshot = snap
		out = append(out, rd)
	}
	return out, nil
}

// Round returns round id with its rules versions, its snapshot (stored, or
// computed from the store once its time has passed) and its distribution.
func (p *ProgramRounds) Round(ctx context.Context, id int) (*Round, error) {
	r, err := p.Program.Round(id)
	if err != nil {
		return nil, err
	}
	rd := p.base(*r)
	rd.Names = p.names(ctx)
	if rd.Rules, err = p.rulesVersions(ctx, id); err != nil {
		return nil, err
	}
	if rd.Snapshot, err = p.storedSnapshot(ctx, id); err != nil {
		return nil, err
	}
	if rd.Snapshot == nil && !p.Now().Before(r.Snapshot.At) {
		s, err := snapshot.Take(ctx, p.Stats, p.Registry, p.Program, id)
		if err != nil {
			return nil, err
		}
		if rd.Snapshot, err = artifactOf(s, time.Time{}); err != nil {
			return nil, err
		}
	}
	if rd.Snapshot == nil {
		return &rd, nil
	}
	s, err := podium.ParseSnapshot(rd.Snapshot.Data)
	if err != nil {
		return nil, err
	}
	if rd.Distribution, rd.Report, err = p.results(ctx, id, rd.Snapshot.ID, s); err != nil {
		return nil, err
	}
	for _, e := range s.Registry { // the names the snapshot froze win
		if e.Name != "" {
			rd.Names[e.Address] = e.Name
		}
	}
	return &rd, nil
}

// Projection computes the round's distribution from a snapshot taken at the
// start of the current minute over the round's window. Taking a snapshot
// reads the window's raw records, so each minute's projection is computed
// once and shared by every page that shows it.
func (p *ProgramRounds) Projection(ctx context.Context, id int) (*podium.Distribution, error) {
	r, err := p.Program.Round(id)
	if err != nil {
		return nil, err
	}
	at := p.Now().UTC().Truncate(time.Minute)
	key := projectionKey{id, at.Unix()}
	p.mu.Lock()
	defer p.mu.Unlock()
	if d, ok := p.projections[key]; ok {
		return d, nil
	}
	s, err := snapshot.TakeAt(ctx, p.Stats, p.Registry, p.Program, id, at, r.Snapshot.Window)
	if err != nil {
		return nil, err
	}
	out, err := rules.Project(p.Program, id, s)
	if err != nil {
		return nil, err
	}
	if p.projections == nil {
		p.projections = map[projectionKey]*podium.Distribution{}
	}
	for k := range p.projections {
		if k.at != key.at {
			delete(p.projections, k) // an older minute's
		}
	}
	p.projections[key] = &out.Distribution
	return &out.Distribution, nil
}

type projectionKey struct {
	round int
	at    int64
}

func (p *ProgramRounds) base(r podium.Round) Round {
	rd := Round{
		ID: r.ID, Start: r.Start, End: r.End, SnapshotAt: r.Snapshot.At, Window: r.Snapshot.Window,
		Budget: r.Budget.String(), Token: p.Program.Token.Info(),
	}
	for _, pool := range r.Pools {
		rd.Pools = append(rd.Pools, describePool(pool, p.Program.Token, r.RequireVerified))
	}
	return rd
}

// names maps the addresses of registry to their names.
func (p *ProgramRounds) names(ctx context.Context) map[string]string {
	m := map[string]string{}
	if p.Registry == nil {
		return m
	}
	list, err := p.Registry.Orchestrators(ctx)
	if err != nil {
		return m // names are a convenience; the addresses stand alone
	}
	for _, o := range list {
		if o.Name != "" {
			m[strings.ToLower(o.Address)] = o.Name
		}
	}
	return m
}

// storedSnapshot returns the frozen snapshot of round id, nil when none is
// stored (or nothing stores snapshots).
func (p *ProgramRounds) storedSnapshot(ctx context.Context, id int) (*Artifact, error) {
	if p.Versions == nil {
		return nil, nil
	}
	s, err := p.Versions.Snapshot(ctx, p.Program.Name, id)
	if podium.ErrorCode(err) == podium.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &Artifact{ID: s.ID, CreatedAt: s.TakenAt, Data: s.Body, Stored: true}, nil
}

func artifactOf(s *podium.Snapshot, at time.Time) (*Artifact, error) {
	b, err := s.Canonical()
	if err != nil {
		return nil, err
	}
	return &Artifact{ID: podium.ContentID(b), CreatedAt: at, Data: b}, nil
}
