package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/web"
)

// countingStats counts the raw-record reads a projection makes.
type countingStats struct {
	*sqlite.DB
	raw atomic.Int64
}

func (c *countingStats) RawStats(ctx context.Context, q podium.StatsQuery) ([]podium.Stats, error) {
	c.raw.Add(1)
	return c.DB.RawStats(ctx, q)
}

// A projection reads every raw record of a week, so it is computed once a
// minute however many ask, and again the next minute with what came since.
func TestRounds_Projection(t *testing.T) {
	ctx := context.Background()
	p, _, err := program.Load("../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := &countingStats{DB: db}
	now := time.Date(2020, 12, 18, 15, 0, 30, 0, time.UTC) // round 1 running
	h := &web.Rounds{Service: &round.Service{Program: p, Stats: st, Now: func() time.Time { return now }}}
	mux := http.NewServeMux()
	h.Register(mux)
	get := func() round.Projection {
		t.Helper()
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/rounds/1/projection", nil))
		var b round.Projection
		if err := json.Unmarshal(rec.Body.Bytes(), &b); rec.Code != http.StatusOK || err != nil {
			t.Fatalf("projection: %d %s", rec.Code, rec.Body)
		}
		return b
	}
	add := func(addr string, ts time.Time) {
		t.Helper()
		s := podium.Stats{Region: "FRA", Orchestrator: addr, Timestamp: ts.Unix(), SegmentsSent: 15, SegmentsReceived: 45,
			SuccessRate: 1, SegDuration: 2, RoundTripTime: 0.5, VerifiedRenditions: 45, Errors: []podium.StatsError{}}
		if _, err := db.AddStats(ctx, []podium.Stats{s}); err != nil {
			t.Fatal(err)
		}
	}
	one, two := "0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"
	add(one, now.Add(-time.Hour))

	first := get()
	reads := st.raw.Load()
	if reads == 0 || !first.At.Equal(now.Truncate(time.Minute)) || len(first.Distribution.Recipients) != 1 {
		t.Fatalf("first projection: %d raw reads, at %s, %d recipients", reads, first.At, len(first.Distribution.Recipients))
	}
	add(two, now.Add(-time.Minute))
	if again := get(); st.raw.Load() != reads || len(again.Distribution.Recipients) != 1 {
		t.Fatalf("same minute: %d more raw reads, %d recipients; want the cached projection", st.raw.Load()-reads, len(again.Distribution.Recipients))
	}
	now = now.Add(time.Minute)
	if next := get(); st.raw.Load() == reads || len(next.Distribution.Recipients) != 2 {
		t.Fatalf("next minute: %d recipients; want the record stored since", len(next.Distribution.Recipients))
	}
}
