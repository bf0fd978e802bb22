package ui

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/report"
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

// results computes round id's distribution and results report from its
// snapshot s, once per snapshot and payout state: both are pure functions
// of them, and drawing the report's tables is not free.
func (p *ProgramRounds) results(ctx context.Context, id int, snapID string, s *podium.Snapshot) (*DistributionArtifact, *Report, error) {
	txs := map[string]string{}
	if p.Payouts != nil {
		pays, err := p.Payouts.Payments(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		for _, pay := range pays {
			if pay.Status == PaymentConfirmed && pay.TxHash != "" {
				txs[pay.Recipient] = pay.TxHash
			}
		}
	}
	key := fmt.Sprintf("%d %s %v", id, snapID, txs) // fmt prints maps sorted by key
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.cache[key]; ok {
		return c.dist, c.report, nil
	}
	out, err := rules.Compute(p.Program, id, s)
	if err != nil {
		return nil, nil, err
	}
	d := out.Distribution
	js, err := d.Canonical()
	if err != nil {
		return nil, nil, err
	}
	dist := &DistributionArtifact{Distribution: d, ID: podium.ContentID(js), JSON: js, CSV: report.DistributionCSV(&d, s.Name)}
	rep, err := report.Build(report.Input{Kind: report.Results, Program: p.Program, Round: id, Snapshot: s, Payments: txs})
	if err != nil {
		return nil, nil, err
	}
	r := &Report{Markdown: rep.Markdown()}
	if r.HTML, err = rep.HTML(); err != nil {
		return nil, nil, err
	}
	for _, reg := range rep.Regions {
		png, err := rep.PNG(reg)
		if err != nil {
			return nil, nil, err
		}
		r.Images = append(r.Images, Image{Region: reg.ID, Name: rep.ImageName(reg.ID), PNG: png})
	}
	if p.cache == nil {
		p.cache = map[string]results{}
	}
	p.cache[key] = results{dist, r}
	return dist, r, nil
}

type results struct {
	dist   *DistributionArtifact
	report *Report
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

// describePool says in a sentence who pool pays and how much.
func describePool(pool podium.Pool, tok podium.Token, verified bool) string {
	amount := func(v *big.Int) string { return formatAmount(v.String(), tok.Decimals) + " " + tok.Symbol }
	who := fmt.Sprintf("total score ≥ %g", pool.Eligible.MinScore)
	switch pool.Eligible.Regions.Mode {
	case podium.ScopeAll:
		who += " in every region"
	case podium.ScopeList:
		who += " in one of " + strings.Join(pool.Eligible.Regions.IDs, ", ")
	default:
		who += " in at least one region"
	}
	if pool.Eligible.RequireVerified || verified {
		who += ", renditions verified"
	}
	var s string
	switch {
	case pool.PerRecipient != nil && pool.Eligible.Top > 0:
		s = fmt.Sprintf("%s each to the top %d per %s with %s", amount(pool.PerRecipient), pool.Eligible.Top, pool.Eligible.Per, who)
	case pool.PerRecipient != nil:
		s = fmt.Sprintf("%s each to everyone with %s", amount(pool.PerRecipient), who)
	case pool.Split == podium.SplitProportional:
		s = fmt.Sprintf("%s split in proportion to score among those with %s", amount(pool.Amount), who)
	default:
		s = fmt.Sprintf("%s split equally among those with %s", amount(pool.Amount), who)
	}
	if pool.PerRecipient != nil && pool.Amount != nil {
		s += fmt.Sprintf(", at most %s in all", amount(pool.Amount))
	}
	return pool.Name + ": " + s
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
