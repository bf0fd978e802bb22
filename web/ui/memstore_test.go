package ui_test

import (
	"context"
	"sort"
	"sync"

	"github.com/podiumhq/podium"
)

// memStore is a stand-in until the store branch lands; it is replaced by
// the real SQLite store.
type memStore struct {
	mu   sync.Mutex
	recs []podium.Stats
}

func (m *memStore) AddStats(ctx context.Context, recs []podium.Stats) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, recs...)
	return len(recs), nil
}

func (m *memStore) match(q podium.StatsQuery, s podium.Stats) bool {
	return (q.Orchestrator == "" || q.Orchestrator == s.Orchestrator) && (q.Region == "" || q.Region == s.Region) &&
		s.Timestamp >= q.Since && s.Timestamp < q.Until
}

func (m *memStore) Aggregates(ctx context.Context, q podium.StatsQuery) ([]podium.Aggregate, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	by := map[[2]string]podium.Aggregate{}
	for _, s := range m.recs {
		if m.match(q, s) {
			k := [2]string{s.Orchestrator, s.Region}
			by[k] = by[k].Add(s.Aggregate())
		}
	}
	var out []podium.Aggregate
	for _, a := range by {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Orchestrator != out[j].Orchestrator {
			return out[i].Orchestrator < out[j].Orchestrator
		}
		return out[i].Region < out[j].Region
	})
	return out, nil
}

func (m *memStore) RawStats(ctx context.Context, q podium.StatsQuery) ([]podium.Stats, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []podium.Stats
	for _, s := range m.recs {
		if m.match(q, s) {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Timestamp > out[j].Timestamp })
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (m *memStore) Ping(ctx context.Context) error { return nil }
func (m *memStore) Close() error                   { return nil }
