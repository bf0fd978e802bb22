// Package round answers one question for the API and the pages alike:
// what is the state of round N of the loaded program at time t — its
// phase, its rules and their published versions, its snapshot, its
// distribution and report, its projection while it runs, and how far its
// payout has gone. Both render what Service answers, with one cache, so
// they cannot disagree.
package round

import (
	"context"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/snapshot"
)

// Service serves a loaded program's rounds: published versions and frozen
// snapshots from Versions, distributions recomputed from them (a pure
// function of rules and snapshot), projections from the stats stored so far.
type Service struct {
	Program  *podium.Program
	Text     []byte              // the program file as loaded
	Stats    podium.StatsStore   // required: projections and due snapshots
	Registry podium.Registry     // names and payout addresses; nil: addresses only
	Versions podium.ProgramStore // published versions and snapshots; nil: none
	Payouts  Payouts             // payout progress; nil: not tracked
	Now      func() time.Time    // nil: time.Now

	projections projections
	results     results
}

// Round is one round at a moment: its rules, where it stands and what has
// been published about it so far. The artifacts are nil until they exist.
type Round struct {
	ID         int
	Start      time.Time
	End        time.Time
	SnapshotAt time.Time
	Window     time.Duration // the snapshot covers [SnapshotAt-Window, SnapshotAt)
	Budget     string        // base units of Token, a decimal string
	Token      podium.TokenInfo
	Phase      Phase
	// Spec is the round as the loaded program defines it: pools, budget,
	// regions and exclusions in force.
	Spec *podium.Round
	// RulesID is the id of the rules in force.
	RulesID string

	// Names maps addresses to registry names, for tables (Round only).
	Names map[string]string
	// Rules holds every published version of the round's rules, oldest
	// first; the last one is in force (Round only).
	Rules []RulesVersion

	// Costs is what the paid tests run during the round, [Start, End),
	// cost per region, and Cost in all (Round only).
	Costs []podium.CostTotal
	Cost  podium.CostSum

	Snapshot     *Artifact // the frozen snapshot, or one computed once due
	Distribution *Distribution
	Report       *Report   // the results report (Round only)
	Payments     []Payment // the payout's payments, once a distribution exists
}

// Artifact is a published file: its bytes and the id it is known by.
type Artifact struct {
	ID        string // e.g. the snapshot id, "sha256:…"
	CreatedAt time.Time
	Data      []byte
	// Stored is true for a frozen artifact; false for one computed from
	// the store on demand, which records arriving late could still change.
	Stored bool
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Rounds lists the program's rounds, oldest first, with their phase and
// stored snapshot; Names, Rules, Distribution and Report are left out.
func (s *Service) Rounds(ctx context.Context) ([]Round, error) {
	now := s.now()
	var out []Round
	for i := range s.Program.Rounds {
		rd, err := s.base(&s.Program.Rounds[i])
		if err != nil {
			return nil, err
		}
		if rd.Snapshot, err = s.storedArtifact(ctx, rd.ID); err != nil {
			return nil, err
		}
		if err := s.settle(ctx, &rd, now); err != nil {
			return nil, err
		}
		out = append(out, rd)
	}
	return out, nil
}

// Round returns round id with everything published about it so far: its
// rules versions, its snapshot (stored, or computed from the store once its
// time has passed), its distribution and results report, and its payments.
// An ENOTFOUND error when the program has no such round.
func (s *Service) Round(ctx context.Context, id int) (*Round, error) {
	r, err := s.Program.Round(id)
	if err != nil {
		return nil, err
	}
	rd, err := s.base(r)
	if err != nil {
		return nil, err
	}
	now := s.now()
	rd.Names = s.names(ctx)
	if rd.Rules, err = s.rulesVersions(ctx, id); err != nil {
		return nil, err
	}
	if err := s.costs(ctx, &rd); err != nil {
		return nil, err
	}
	if rd.Snapshot, err = s.storedArtifact(ctx, id); err != nil {
		return nil, err
	}
	if rd.Snapshot == nil && !now.Before(r.Snapshot.At) {
		snap, err := snapshot.Take(ctx, s.Stats, s.Registry, s.Program, id)
		if err != nil {
			return nil, err
		}
		if rd.Snapshot, err = artifactOf(snap); err != nil {
			return nil, err
		}
	}
	if rd.Snapshot != nil {
		snap, err := podium.ParseSnapshot(rd.Snapshot.Data)
		if err != nil {
			return nil, err
		}
		if rd.Distribution, err = s.distribution(id, rd.Snapshot.ID, snap); err != nil {
			return nil, err
		}
		for _, e := range snap.Registry { // the names the snapshot froze win
			if e.Name != "" {
				rd.Names[e.Address] = e.Name
			}
		}
	}
	if err := s.settle(ctx, &rd, now); err != nil {
		return nil, err
	}
	if rd.Distribution != nil {
		snap, err := podium.ParseSnapshot(rd.Snapshot.Data)
		if err != nil {
			return nil, err
		}
		if rd.Report, err = s.report(id, rd.Snapshot.ID, snap, rd.Payments); err != nil {
			return nil, err
		}
	}
	return &rd, nil
}

// settle reads the round's payments (once it has a snapshot) and sets its
// phase at now.
func (s *Service) settle(ctx context.Context, rd *Round, now time.Time) error {
	if s.Payouts != nil && rd.Snapshot != nil {
		pays, err := s.Payouts.Payments(ctx, rd.ID)
		if err != nil {
			return err
		}
		rd.Payments = pays
	}
	frozen := rd.Snapshot != nil && rd.Snapshot.Stored
	rd.Phase = phaseAt(rd.Start, rd.End, now, frozen, allConfirmed(rd.Payments))
	return nil
}

// Stored returns round id's frozen snapshot as stored; an ENOTFOUND error
// when it has not been taken (or nothing stores snapshots).
func (s *Service) Stored(ctx context.Context, id int) (podium.StoredSnapshot, error) {
	if _, err := s.Program.Round(id); err != nil {
		return podium.StoredSnapshot{}, err
	}
	if s.Versions == nil {
		return podium.StoredSnapshot{}, podium.Errorf(podium.ENOTFOUND, "round %d has no frozen snapshot: this server stores none", id)
	}
	return s.Versions.Snapshot(ctx, s.Program.Name, id)
}

// Final returns round id's distribution computed from its frozen snapshot,
// with that snapshot; an ENOTFOUND error until the snapshot is frozen.
func (s *Service) Final(ctx context.Context, id int) (*Distribution, *podium.Snapshot, error) {
	stored, err := s.Stored(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	snap, err := podium.ParseSnapshot(stored.Body)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.distribution(id, stored.ID, snap)
	return d, snap, err
}

func (s *Service) base(r *podium.Round) (Round, error) {
	id, err := s.Program.RulesID(r.ID)
	if err != nil {
		return Round{}, err
	}
	return Round{
		ID: r.ID, Start: r.Start, End: r.End, SnapshotAt: r.Snapshot.At, Window: r.Snapshot.Window,
		Budget: r.Budget.String(), Token: s.Program.Token.Info(), Spec: r, RulesID: id,
	}, nil
}

// names maps the registry's addresses to their names.
func (s *Service) names(ctx context.Context) map[string]string {
	m := map[string]string{}
	if s.Registry == nil {
		return m
	}
	list, err := s.Registry.Orchestrators(ctx)
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

// storedArtifact returns the frozen snapshot of round id, nil when none is
// stored (or nothing stores snapshots).
func (s *Service) storedArtifact(ctx context.Context, id int) (*Artifact, error) {
	if s.Versions == nil {
		return nil, nil
	}
	st, err := s.Versions.Snapshot(ctx, s.Program.Name, id)
	if podium.ErrorCode(err) == podium.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &Artifact{ID: st.ID, CreatedAt: st.TakenAt, Data: st.Body, Stored: true}, nil
}

func artifactOf(s *podium.Snapshot) (*Artifact, error) {
	b, err := s.Canonical()
	if err != nil {
		return nil, err
	}
	return &Artifact{ID: podium.ContentID(b), Data: b}, nil
}
