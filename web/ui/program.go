package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
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
	Now      func() time.Time
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
	out, err := rules.Compute(p.Program, id, s)
	if err != nil {
		return nil, err
	}
	if rd.Distribution, err = distributionArtifact(out.Distribution); err != nil {
		return nil, err
	}
	return &rd, nil
}

// Projection computes the round's distribution from a snapshot taken now
// over the round's window.
func (p *ProgramRounds) Projection(ctx context.Context, id int) (*podium.Distribution, error) {
	r, err := p.Program.Round(id)
	if err != nil {
		return nil, err
	}
	s, err := snapshot.TakeAt(ctx, p.Stats, p.Registry, p.Program, id, p.Now().UTC().Truncate(time.Second), r.Snapshot.Window)
	if err != nil {
		return nil, err
	}
	out, err := rules.Project(p.Program, id, s)
	if err != nil {
		return nil, err
	}
	return &out.Distribution, nil
}

func (p *ProgramRounds) base(r podium.Round) Round {
	return Round{
		ID: r.ID, Start: r.Start, End: r.End, SnapshotAt: r.Snapshot.At, Window: r.Snapshot.Window,
		Budget: r.Budget.String(), Token: p.Program.Token.Info(),
	}
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

// rulesVersions returns every published version in which round id's rules
// changed, oldest first; the loaded file alone when none was published.
func (p *ProgramRounds) rulesVersions(ctx context.Context, id int) ([]RulesVersion, error) {
	var published []podium.ProgramVersion
	if p.Versions != nil {
		var err error
		published, err = p.Versions.ProgramVersions(ctx, p.Program.Name)
		if err != nil && podium.ErrorCode(err) != podium.ENOTFOUND {
			return nil, err
		}
	}
	var out []RulesVersion
	for _, v := range published {
		prog, err := program.Parse(v.Text)
		if err != nil {
			return nil, err
		}
		rv, err := rulesVersion(prog, id, v.Text, v.PublishedAt)
		if podium.ErrorCode(err) == podium.ENOTFOUND {
			continue // this version had no such round
		} else if err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != rv.ID {
			out = append(out, rv)
		}
	}
	if len(out) == 0 {
		rv, err := rulesVersion(p.Program, id, p.Text, time.Time{})
		if err != nil {
			return nil, err
		}
		out = append(out, rv)
	}
	return out, nil
}

func rulesVersion(prog *podium.Program, id int, text []byte, at time.Time) (RulesVersion, error) {
	doc, err := prog.Rules(id)
	if err != nil {
		return RulesVersion{}, err
	}
	canon, err := podium.CanonicalJSON(doc)
	if err != nil {
		return RulesVersion{}, err
	}
	return RulesVersion{ID: podium.ContentID(canon), PublishedAt: at, Text: string(text), Canonical: string(canon)}, nil
}

// distributionArtifact encodes d as published: canonical JSON, and a CSV of
// one line per recipient (address, pay_to, amount in base units, awards).
func distributionArtifact(d podium.Distribution) (*DistributionArtifact, error) {
	js, err := d.Canonical()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"address", "pay_to", "amount", "awards"})
	for _, r := range d.Recipients {
		var awards []string
		for _, a := range r.Awards {
			s := a.Pool
			if a.Region != "" {
				s += ":" + a.Region
			}
			awards = append(awards, s+"="+a.Amount)
		}
		w.Write([]string{r.Address, r.Payee(), r.Amount, strings.Join(awards, ";")})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return &DistributionArtifact{Distribution: d, ID: podium.ContentID(js), JSON: js, CSV: buf.Bytes()}, nil
}
