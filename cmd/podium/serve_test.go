package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/syncbuf"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web"
)

const testSecret = "serve-test-secret"

// syncBuffer is a bytes.Buffer safe for concurrent writers and a reader.
type syncBuffer = syncbuf.Buffer

// testMain returns a Main with captured output and the given environment.
func testMain(t *testing.T, env map[string]string) (*Main, *syncBuffer, *syncBuffer) {
	t.Helper()
	var stdout, stderr syncBuffer
	m := NewMain()
	m.Stdin = strings.NewReader("")
	m.Stdout, m.Stderr = &stdout, &stderr
	m.Getenv = func(k string) string { return env[k] }
	m.Logger = newTestLogger(&stderr)
	return m, &stdout, &stderr
}

// startServe runs `podium serve` through Main.Run on 127.0.0.1:0 and returns
// its base URL; the server stops when the test ends.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	m, _, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	return "http://" + runReady(t, m, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...), stderr)
}

func TestServe(t *testing.T) {
	for _, tt := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"OKSQLite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "x.db") }},
		{"OKPostgres", func(t *testing.T) string { return storetest.FreshSchema(t, storetest.PostgresDSN(t)) }},
	} {
		t.Run(tt.name, func(t *testing.T) { testServeRoundTrip(t, tt.dsn(t)) })
	}
	t.Run("OKRegionsFile", func(t *testing.T) {
		url := startServe(t, "--db", filepath.Join(t.TempDir(), "x.db"), "--regions", "testdata/regions/ok.yaml")
		regions, err := web.NewClient(url, nil).Regions(context.Background())
		if err != nil || len(regions) != 4 {
			t.Fatalf("regions %+v, %v", regions, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		dir := t.TempDir()
		for _, tt := range []struct {
			name string
			env  map[string]string
			args []string
			want string
		}{
			{"no secret", nil, nil, "PODIUM_SECRET"},
			{"missing secret file", nil, []string{"--secret-file", filepath.Join(dir, "none")}, "--secret-file"},
			{"bad regions", map[string]string{"PODIUM_SECRET": "s"}, []string{"--regions", "testdata/regions/bad-no-name.yaml"}, "name"},
			{"bad listen", map[string]string{"PODIUM_SECRET": "s"}, []string{"--listen", "256.0.0.1:1"}, "--listen"},
			{"no such db dir", map[string]string{"PODIUM_SECRET": "s"}, []string{"--db", filepath.Join(dir, "no", "x.db")}, "does not exist"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				m, _, stderr := testMain(t, tt.env)
				args := append([]string{"serve", "--listen", "127.0.0.1:0", "--db", filepath.Join(dir, tt.name+".db")}, tt.args...)
				err := m.Run(context.Background(), args)
				if err == nil {
					t.Fatal("serve started")
				}
				m.Report(err)
				if !strings.Contains(stderr.String(), tt.want) {
					t.Fatalf("report does not say %q:\n%s", tt.want, stderr)
				}
			})
		}
	})
}

// testServeRoundTrip starts serve on dsn, posts a signed record with the
// client and reads it back through both read endpoints.
func testServeRoundTrip(t *testing.T, dsn string) {
	url := startServe(t, "--db", dsn)
	c := web.NewClient(url, []byte(testSecret))
	ctx := context.Background()
	now := time.Now().Unix()
	rec := podium.Stats{Region: "fra", Orchestrator: "0x0FC80AFB7876F579F1FB1C4D1C37CF1339038658", Timestamp: now - 30,
		SegmentsSent: 15, SegmentsReceived: 45, SuccessRate: 1, SegDuration: 2, RoundTripTime: 2, TestID: "serve-1"}
	res, err := c.PostStats(ctx, rec)
	if err != nil || res.Status != web.StatusStored {
		t.Fatalf("post: %+v, %v", res, err)
	}
	agg, err := c.AggregatedStats(ctx, podium.StatsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	got := agg["0x0fc80afb7876f579f1fb1c4d1c37cf1339038658"]["FRA"]
	if got.SuccessRate != 1 || got.RoundTripScore != 0.6321205588285577 || got.Total != got.RoundTripScore {
		t.Fatalf("aggregated %+v", agg)
	}
	raw, err := c.RawStats(ctx, podium.StatsQuery{Orchestrator: rec.Orchestrator, Since: now - 60, Until: now + 60})
	if err != nil || len(raw["FRA"]) != 1 || raw["FRA"][0].TestID != "serve-1" {
		t.Fatalf("raw %+v, %v", raw, err)
	}
}
