package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/load"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web"
)

// loadDuration is how long each store is loaded: 20 s in the test suite,
// more with PODIUM_LOAD_DURATION (e.g. 10m).
func loadDuration(t *testing.T) time.Duration {
	t.Helper()
	s := os.Getenv("PODIUM_LOAD_DURATION")
	if s == "" {
		return 20 * time.Second
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Fatalf("PODIUM_LOAD_DURATION=%q: %v", s, err)
	}
	return d
}

// TestServe_Load runs `podium serve --program` on each store and loads it
// with signed posts from many posters and reads of every endpoint at once:
// no request may fail and every acknowledged record must be stored once.
func TestServe_Load(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	prog, err := filepath.Abs("../../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		db   func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "load.db") }},
		{"postgres", func(t *testing.T) string { return storetest.FreshSchema(t, storetest.PostgresDSN(t)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServeChild(t, []string{"PODIUM_SECRET=" + testSecret}, "--db", tc.db(t), "--program", prog)
			cfg := load.Config{URL: srv.URL, Secret: []byte(testSecret), Duration: loadDuration(t),
				Posters: 16, Readers: 4, Orchestrators: 20, Seed: 1, RunID: "load-" + tc.name,
				Pages: []string{"/api/v1/rounds", "/api/v1/rounds/1/projection",
					// the web UI's pages
					"/", "/orchestrators/" + load.Orchestrator(0), "/rounds", "/rounds/1", "/static/style.css"}}
			// The orchestrator page is a 404 until its orchestrator has a
			// record; one posted first (outside the run's test ids) keeps
			// the readers from racing the posters' first records.
			warm := podium.Stats{Region: "FRA", Orchestrator: load.Orchestrator(0), Timestamp: time.Now().Unix() - 60,
				SegmentsSent: 1, SegmentsReceived: 1, SuccessRate: 1, SegDuration: 2, RoundTripTime: 1, TestID: "warmup-" + tc.name}
			if _, err := web.NewClient(srv.URL, []byte(testSecret)).PostStats(context.Background(), warm); err != nil {
				t.Fatal(err)
			}
			if n := os.Getenv("PODIUM_LOAD_POSTS"); n != "" {
				cfg.MaxPosts, _ = strconv.Atoi(n)
			}
			rep, err := load.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			stored, dups, err := load.Stored(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			rep.Write(&out, len(stored))
			t.Logf("%s, %s:\n%s", tc.name, cfg.Duration, out.String())
			if rep.Errors != 0 {
				t.Errorf("%d requests failed", rep.Errors)
			}
			if len(rep.Acked) == 0 {
				t.Fatal("no post was acknowledged")
			}
			if missing := load.Missing(rep.Acked, stored); len(missing) > 0 {
				t.Errorf("%d acknowledged records are not stored, e.g. %s", len(missing), missing[0])
			}
			if len(stored) != len(rep.Acked) || dups != 0 {
				t.Errorf("stored %d (%d twice), acknowledged %d: want equal", len(stored), dups, len(rep.Acked))
			}
			for _, e := range rep.Endpoints {
				if e.Requests == 0 {
					t.Errorf("%s was never requested", e.Name)
				}
			}
		})
	}
}
