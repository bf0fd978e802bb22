package ui_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/web/ui"
)

// benchStore holds a week of hourly tests of orchs orchestrators in the
// three default regions.
func benchStore(b *testing.B, orchs int) *sqlite.DB {
	b.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	var recs []podium.Stats
	for o := 0; o < orchs; o++ {
		for _, reg := range []string{"MDW", "FRA", "SIN"} {
			for t := testNow.Add(-7 * 24 * time.Hour); t.Before(testNow); t = t.Add(time.Hour) {
				rtt := 1 + float64((o+t.Hour())%7)*0.2
				recs = append(recs, podium.Stats{Region: reg, Orchestrator: addr(o), Timestamp: t.Unix(), SegmentsSent: 15, SegmentsReceived: 45,
					SuccessRate: 1, SegDuration: 2, RoundTripTime: rtt, UploadTime: rtt / 3, TranscodeTime: rtt / 3, DownloadTime: rtt / 3,
					TestID: fmt.Sprintf("b%d-%s-%d", o, reg, t.Unix()), VerifiedRenditions: 45})
			}
		}
	}
	for i := 0; i < len(recs); i += 5000 {
		if _, err := st.AddStats(context.Background(), recs[i:min(i+5000, len(recs))]); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// BenchmarkHandler renders the pages over a week of hourly tests of 100
// orchestrators in three regions (50,400 records) on SQLite.
func BenchmarkHandler(b *testing.B) {
	st := benchStore(b, 100)
	h, err := ui.New(ui.Config{Store: st, Regions: podium.DefaultRegions(), Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range []struct{ name, path string }{
		{"Leaderboard24h", "/"},
		{"Leaderboard7d", "/?window=7d&region=FRA"},
		{"Orchestrator7d", "/orchestrators/" + addr(42) + "?window=7d"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", p.path, nil))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", p.path, rec.Code)
				}
			}
		})
	}
}
