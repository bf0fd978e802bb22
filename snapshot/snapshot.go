// Package snapshot takes a round's snapshot (design §8): the window's
// aggregates per orchestrator and region, the registry data used and a
// digest of the raw records covered, in canonical form so that taking it
// twice gives the same bytes.
package snapshot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
// kickoff reports during or before the round.
func TakeAt(ctx context.Context, stats podium.StatsStore, reg podium.Registry, p *podium.Program, id int, at time.Time, window time.Duration) (*podium.Snapshot, error) {
	q := podium.StatsQuery{Since: at.Add(-window).Unix(), Until: at.Unix()}
	aggs, err := stats.Aggregates(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("snapshot round %d: aggregates: %w", id, err)
	}
	recs, err := stats.RawStats(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("snapshot round %d: raw stats: %w", id, err)
	}
	var orchs []podium.Orchestrator
	if reg != nil {
		if orchs, err = reg.Orchestrators(ctx); err != nil {
			return nil, fmt.Errorf("snapshot round %d: registry: %w", id, err)
		}
	}
	return Build(p, id, at, window, aggs, recs, orchs)
}

// Build assembles a snapshot from what the store and registry returned. It
// is pure; the aggregates must account for exactly the records given.
func Build(p *podium.Program, id int, at time.Time, window time.Duration, aggs []podium.Aggregate, recs []podium.Stats, orchs []podium.Orchestrator) (*podium.Snapshot, error) {
	if _, err := p.Round(id); err != nil {
		return nil, err
	}
	at = at.UTC()
	s := &podium.Snapshot{
		Program: p.Name, Round: id, At: at, Since: at.Add(-window).Unix(), Until: at.Unix(),
		Aggregates: []podium.SnapshotEntry{}, Registry: []podium.RegistryEntry{},
	}
	var tests int64
	seen := map[string]bool{}
	for _, a := range aggs {
		tests += a.Tests
		s.Aggregates = append(s.Aggregates, podium.SnapshotEntry{Aggregate: a, Score: score.Of(a)})
		seen[a.Orchestrator] = true
	}
	if tests != int64(len(recs)) {
		return nil, podium.Errorf(podium.EINTERNAL, "snapshot round %d: the aggregates count %d tests but the window holds %d records", id, tests, len(recs))
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
	digest, err := Digest(recs)
	if err != nil {
		return nil, err
	}
	s.Records = podium.RecordsDigest{Count: int64(len(recs)), Digest: digest}
	return s, nil
}

// Digest returns the SHA-256 of records in canonical order (timestamp,
// region, orchestrator, test id, then encoding), one compact JSON line each
// with an empty error list written as [].
func Digest(recs []podium.Stats) (string, error) {
	lines := make([][]byte, len(recs))
	keys := make([]string, len(recs))
	for i, r := range recs {
		if r.Errors == nil {
			r.Errors = []podium.StatsError{}
		}
		b, err := json.Marshal(r)
		if err != nil {
			return "", podium.Errorf(podium.EINTERNAL, "encode record: %v", err)
		}
		lines[i] = b
		keys[i] = fmt.Sprintf("%020d\x00%s\x00%s\x00%s\x00", r.Timestamp, r.Region, r.Orchestrator, r.TestID)
	}
	idx := make([]int, len(recs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		if keys[i] != keys[j] {
			return keys[i] < keys[j]
		}
		return bytes.Compare(lines[i], lines[j]) < 0
	})
	h := sha256.New()
	for _, i := range idx {
		h.Write(lines[i])
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
