// Package snapshot takes a round's snapshot (docs/design.md §5.5): the window's
// aggregates per orchestrator and region, the registry data used and a
// digest of the raw records covered, in canonical form so that taking it
// twice gives the same bytes.
package snapshot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// Take takes round id's snapshot of program p from the stats store and the
// registry (nil for none): the window [at − window, at) of the round's
// snapshot spec.
func Take(ctx context.Context, stats podium.StatsStore, reg podium.Registry, p *podium.Program, id int) (*podium.Snapshot, error) {
	r, err := p.Round(id)
	if err != nil {
		return nil, err
	}
	return TakeAt(ctx, stats, reg, p, id, r.Snapshot.At, r.Snapshot.Window)
}

// TakeAt takes a snapshot of round id at any time, for projections and
// kickoff reports during or before the round. The raw records are read
// and digested an hour at a time, so a busy week never sits in memory.
func TakeAt(ctx context.Context, stats podium.StatsStore, reg podium.Registry, p *podium.Program, id int, at time.Time, window time.Duration) (*podium.Snapshot, error) {
	since, until := at.Add(-window).Unix(), at.Unix()
	aggs, err := stats.Aggregates(ctx, podium.StatsQuery{Since: since, Until: until})
	if err != nil {
		return nil, fmt.Errorf("snapshot round %d: aggregates: %w", id, err)
	}
	var d Digester
	for from := since; from < until; from += chunkSeconds {
		recs, err := stats.RawStats(ctx, podium.StatsQuery{Since: from, Until: min(from+chunkSeconds, until)})
		if err != nil {
			return nil, fmt.Errorf("snapshot round %d: raw stats: %w", id, err)
		}
		if err := d.Add(recs); err != nil {
			return nil, err
		}
	}
	r, err := p.Round(id)
	if err != nil {
		return nil, err
	}
	ai, err := takeAI(ctx, stats, r, since, until)
	if err != nil {
		return nil, err
	}
	var orchs []podium.Orchestrator
	if reg != nil {
		if orchs, err = reg.Orchestrators(ctx); err != nil {
			return nil, fmt.Errorf("snapshot round %d: registry: %w", id, err)
		}
	}
	return build(p, id, at, window, aggs, d.Sum(), ai, orchs)
}

// chunkSeconds is the span of raw records read at once.
const chunkSeconds = 3600

// Build assembles a snapshot from the window's transcoding aggregates, its
// raw records and the registry. It is pure; the aggregates must account
// for exactly the transcoding records given. The AI records among recs
// make the AI part (FreezeAI) of a round with AI pools.
func Build(p *podium.Program, id int, at time.Time, window time.Duration, aggs []podium.Aggregate, recs []podium.Stats, orchs []podium.Orchestrator) (*podium.Snapshot, error) {
	r, err := p.Round(id)
	if err != nil {
		return nil, err
	}
	var d Digester
	var transcoding []podium.Stats
	for _, s := range recs {
		if !s.IsAI() {
			transcoding = append(transcoding, s)
		}
	}
	if err := d.Add(transcoding); err != nil {
		return nil, err
	}
	ai, err := FreezeAI(r, recs)
	if err != nil {
		return nil, err
	}
	return build(p, id, at, window, aggs, d.Sum(), ai, orchs)
}

func build(p *podium.Program, id int, at time.Time, window time.Duration, aggs []podium.Aggregate, digest podium.RecordsDigest, ai *podium.SnapshotAI, orchs []podium.Orchestrator) (*podium.Snapshot, error) {
	if _, err := p.Round(id); err != nil {
		return nil, err
	}
	at = at.UTC()
	s := &podium.Snapshot{
		Program: p.Name, Round: id, At: at, Since: at.Add(-window).Unix(), Until: at.Unix(),
		Aggregates: []podium.SnapshotEntry{}, Registry: []podium.RegistryEntry{}, Records: digest, AI: ai,
	}
	var tests int64
	seen := map[string]bool{}
	for _, a := range aggs {
		tests += a.Tests
		s.Aggregates = append(s.Aggregates, podium.SnapshotEntry{Aggregate: a, Score: score.Of(a)})
		seen[a.Orchestrator] = true
	}
	if ai != nil {
		for _, a := range ai.Aggregates {
			seen[a.Orchestrator] = true
		}
	}
	if tests != digest.Count {
		return nil, podium.Errorf(podium.EINTERNAL, "snapshot round %d: the aggregates count %d tests but the window holds %d records", id, tests, digest.Count)
	}
	sort.Slice(s.Aggregates, func(i, j int) bool {
		a, b := s.Aggregates[i], s.Aggregates[j]
		if a.Orchestrator != b.Orchestrator {
			return a.Orchestrator < b.Orchestrator
		}
		return a.Region < b.Region
	})
	for _, o := range orchs {
		addr := strings.ToLower(o.Address)
		if !seen[addr] {
			continue
		}
		seen[addr] = false // first entry wins, as a registry lists each once
		s.Registry = append(s.Registry, podium.RegistryEntry{Address: addr, Name: o.Name, PayoutAddress: strings.ToLower(o.PayoutAddress)})
	}
	sort.Slice(s.Registry, func(i, j int) bool { return s.Registry[i].Address < s.Registry[j].Address })
	return s, nil
}
