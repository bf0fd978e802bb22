package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/store/storetest"
)

// TestImport_AI imports AI records (the anchor's events, AI rows included)
// next to transcoding ones: they go to the AI tables, once.
func TestImport_AI(t *testing.T) {
	for _, tt := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"SQLite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "imp.db") }},
		{"Postgres", func(t *testing.T) string { return storetest.FreshSchema(t, storetest.PostgresDSN(t)) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := tt.dsn(t)
			lines := strings.Join([]string{
				`{"model":"ByteDance/SDXL-Lightning","errors":[{"count":1,"error_code":"HTTP-STATUS-503"}],"region":"MDW","pipeline":"text-to-image","timestamp":1723741000,"orchestrator":"0x22a48674a6fdf9335d89b6dbc05c38e2dc181475","success_rate":0,"round_trip_time":2.21572637,"input_parameters":"{\"prompt\":\"a bear\"}","response_payload":"{\"error\":{\"message\":\"Service Unavailable Error\"}}\n"}`,
				`{"model":"ByteDance/SDXL-Lightning","errors":[],"region":"FRA","pipeline":"text-to-image","timestamp":1723741001,"orchestrator":"0x22a48674a6fdf9335d89b6dbc05c38e2dc181475","success_rate":1,"round_trip_time":1.5,"model_is_warm":true}`,
				`{"region":"FRA","orchestrator":"0x22a48674a6fdf9335d89b6dbc05c38e2dc181475","timestamp":1723741002,"segments_sent":15,"segments_received":30,"success_rate":1,"seg_duration":2,"round_trip_time":1.9,"errors":[]}`,
				`{"model":"m","region":"FRA","timestamp":1723741003,"orchestrator":"0x22a48674a6fdf9335d89b6dbc05c38e2dc181475","success_rate":1}`,
			}, "\n")
			path := filepath.Join(t.TempDir(), "ai.jsonl")
			if err := os.WriteFile(path, []byte(lines), 0o600); err != nil {
				t.Fatal(err)
			}
			for i, want := range []string{
				"imported 3 records, skipped 0 already stored, 1 invalid lines",
				"imported 0 records, skipped 3 already stored, 1 invalid lines",
			} {
				m, stdout, stderr := testMain(t, nil)
				err := m.Run(context.Background(), []string{"import", "--db", db, path})
				if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(stdout.String(), want) {
					t.Fatalf("run %d: %v, stdout %q", i, err, stdout)
				}
				if !strings.Contains(stderr.String(), "line 4: pipeline: is required with model") {
					t.Fatalf("run %d: stderr %s", i, stderr)
				}
			}
			ctx := context.Background()
			st, err := store.Open(ctx, db, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			q := podium.StatsQuery{Since: 1723741000, Until: 1723741010}
			ai, err := st.AIAggregates(ctx, q)
			if err != nil || len(ai) != 2 || ai[0].Region != "FRA" || ai[1].Region != "MDW" {
				t.Fatalf("AI aggregates: %+v %v", ai, err)
			}
			tr, err := st.Aggregates(ctx, q)
			if err != nil || len(tr) != 1 || tr[0].Tests != 1 {
				t.Fatalf("transcoding aggregates: %+v %v", tr, err)
			}
			raw, err := st.AIRawStats(ctx, q)
			if err != nil || len(raw) != 2 || raw[1].ResponsePayload != "{\"error\":{\"message\":\"Service Unavailable Error\"}}\n" {
				t.Fatalf("AI raw stats: %+v %v", raw, err)
			}
		})
	}
}
