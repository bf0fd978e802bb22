package web_test

import (
	"context"
	"sort"
	"sync"

	"github.com/podiumhq/podium"
)

// memStore is a temporary in-memory StatsStore until the SQLite store lands.
type memStore struct {
	mu   sync.Mutex
	recs []podium.Stats
	ids  map[string]bool
}

func (m *memStore) AddStats(_ context.Context, recs []podium.Stats) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ids == nil {
		m.ids = map[string]bool{}
	}
	n := 0
	for _, r := range recs {
		if r.TestID != "" {
			if m.ids[r.TestID] {
				continue
			}
			m.ids[r.TestID] = true
		}
		m.recs = append(m.recs, r)
		n++
	}
	return n, nil
}

func (m *memStore) match(q podium.StatsQuery, r podium.Stats) bool {
	return r.Timestamp >= q.Since && r.Timestamp < q.Until &&
		(q.Orchestrator == "" || q.Orchestrator == r.Orchestrator) && (q.Region == "" || q.Region == r.Region)
}

func (m *memStore) Aggregates(_ context.Context, q podium.StatsQuery) ([]podium.Aggregate, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	by := map[[2]string]podium.Aggregate{}
	for _, r := range m.recs {
		if m.match(q, r) {
			k := [2]string{r.Orchestrator, r.Region}
			by[k] = by[k].Add(r.Aggregate())
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

func (m *memStore) RawStats(_ context.Context, q podium.StatsQuery) ([]podium.Stats, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []podium.Stats
	for _, r := range m.recs {
		if m.match(q, r) {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Timestamp > out[j].Timestamp })
	return out, nil
}

func (m *memStore) Ping(context.Context) error { return nil }
func (m *memStore) Close() error               { return nil }
