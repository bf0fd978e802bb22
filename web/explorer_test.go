package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// TestServer_ExplorerShapes asks what Livepeer's explorer asks of the
// leaderboard, with its parameters (the default window, a lower-case
// address), and checks the answers have the shapes it reads: /api/regions
// (its region list), /api/aggregated_stats (its /api/score), the same of
// one orchestrator with /api/top_ai_score (its /api/score/[address]) and
// /api/pipelines. A go-livepeer gateway decodes aggregated_stats as
// map[addr]map[region]map[string]float64, so every value of a region
// object must be a number, in both job types, also where every AI test
// failed (the leaderboard's NaN, §5.2).
func TestServer_ExplorerShapes(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		ts := newTestServer(t, open, web.Config{})
		const t2i, sdxl, a2t, whisper = "text-to-image", "ByteDance/SDXL-Lightning", "audio-to-text", "openai/whisper-large-v3"
		now := testNow.Unix()
		failed := aiRec(orchB, "LAX", now-300, a2t, whisper, 0, 0)
		failed.Errors = []podium.StatsError{{ErrorCode: "HTTP-STATUS-500", Message: "model failed to load", Count: 1}}
		addStats(t, ts.store,
			rec(orchA, "FRA", now-600, 2, 1.2, 1),
			rec(orchA, "GLOBAL", now-500, 2, 1.5, 0.5),
			rec(orchB, "MDW", now-400, 2, 0, 0), // failed: no round trip
			aiRec(orchA, "FRA", now-600, t2i, sdxl, 2, 1),
			aiRec(orchA, "MDW", now-500, t2i, sdxl, 3, 0),
			aiRec(orchB, "FRA", now-400, t2i, sdxl, 4, 1),
			failed, // the only test of its pipeline: no median
		)

		t.Run("Regions", func(t *testing.T) {
			v := getAny(t, ts, "/api/regions")
			regions := arrayAt(t, "regions", field(t, v, "regions"))
			types := map[string]bool{}
			for i, r := range regions {
				for _, k := range []string{"id", "name", "type"} {
					if s, ok := field(t, r, k).(string); !ok || s == "" {
						t.Errorf("regions[%d].%s = %#v, want a string", i, k, field(t, r, k))
					}
				}
				types[field(t, r, "type").(string)] = true
			}
			if !types[podium.JobTranscoding] || !types[podium.JobAI] || len(types) != 2 {
				t.Errorf("region types %v, want transcoding and ai", types)
			}
		})

		for _, tc := range []struct{ name, query string }{
			{"Transcoding", ""},
			{"TranscodingJobType", "?job_type=transcoding"},
			{"AI", "?pipeline=" + t2i + "&model=" + sdxl},
			{"AIAllFailed", "?pipeline=" + a2t + "&model=" + whisper},
		} {
			t.Run("Score"+tc.name, func(t *testing.T) {
				all := metrics(t, ts, "/api/aggregated_stats"+tc.query)
				if len(all) == 0 {
					t.Fatalf("no orchestrator in %s", tc.query)
				}
				sep := "?"
				if tc.query != "" {
					sep = "&"
				}
				for addr, regions := range all {
					one := metrics(t, ts, "/api/aggregated_stats"+tc.query+sep+"orchestrator="+addr)
					if len(one) != 1 || len(one[addr]) != len(regions) {
						t.Errorf("aggregated_stats of %s: %v, want its %d regions of %v", addr, one, len(regions), all)
					}
				}
			})
		}

		t.Run("TopAIScore", func(t *testing.T) {
			for _, addr := range []string{orchA, orchB} {
				v := getAny(t, ts, "/api/top_ai_score?orchestrator="+addr)
				obj, _ := v.(map[string]any)
				if len(obj) != 5 {
					t.Fatalf("top_ai_score of %s: %v, want value, region, model, pipeline and orchestrator", addr, v)
				}
				if _, ok := obj["value"].(float64); !ok {
					t.Errorf("top_ai_score of %s: value %#v, want a number", addr, obj["value"])
				}
				for _, k := range []string{"region", "model", "pipeline", "orchestrator"} {
					if s, ok := obj[k].(string); !ok || s == "" {
						t.Errorf("top_ai_score of %s: %s = %#v, want a string", addr, k, obj[k])
					}
				}
				if obj["orchestrator"] != addr {
					t.Errorf("top_ai_score of %s names %v", addr, obj["orchestrator"])
				}
			}
			// An orchestrator without an AI test: {}, never null.
			if code, body := getStatus(t, ts, "/api/top_ai_score?orchestrator=0x00000000000000000000000000000000000000e5"); code != http.StatusOK || strings.TrimSpace(body) != "{}" {
				t.Errorf("top_ai_score without AI tests: %d %s, want 200 {}", code, body)
			}
		})

		t.Run("Pipelines", func(t *testing.T) {
			for _, q := range []string{"", "?region=FRA", fmt.Sprintf("?since=%d&until=%d", now-7200, now-3600)} {
				v := getAny(t, ts, "/api/pipelines"+q)
				pipelines := arrayAt(t, "pipelines", field(t, v, "pipelines"))
				if empty := strings.HasPrefix(q, "?since"); empty != (len(pipelines) == 0) {
					t.Errorf("/api/pipelines%s: %d pipelines, want none: %v", q, len(pipelines), empty)
				}
				for i, p := range pipelines {
					if s, ok := field(t, p, "id").(string); !ok || s == "" {
						t.Errorf("pipelines[%d].id = %#v", i, field(t, p, "id"))
					}
					for _, k := range []string{"models", "regions"} {
						for j, e := range arrayAt(t, fmt.Sprintf("pipelines[%d].%s", i, k), field(t, p, k)) {
							if s, ok := e.(string); !ok || s == "" {
								t.Errorf("pipelines[%d].%s[%d] = %#v, want a string", i, k, j, e)
							}
						}
					}
				}
			}
		})
	})
}

// metrics decodes an aggregated_stats answer as a go-livepeer gateway does,
// after checking that every region object holds exactly the three scores
// as JSON numbers.
func metrics(t *testing.T, ts *testServer, path string) map[string]map[string]map[string]float64 {
	t.Helper()
	v, _ := getAny(t, ts, path).(map[string]any)
	if v == nil {
		t.Fatalf("GET %s: not an object", path)
	}
	for addr, regions := range v {
		byRegion, ok := regions.(map[string]any)
		if !ok {
			t.Fatalf("GET %s: %s is %#v, want an object of regions", path, addr, regions)
		}
		for region, m := range byRegion {
			obj, ok := m.(map[string]any)
			if !ok || len(obj) != 3 {
				t.Fatalf("GET %s: %s.%s is %#v, want success_rate, round_trip_score and score", path, addr, region, m)
			}
			for _, k := range []string{"success_rate", "round_trip_score", "score"} {
				if _, ok := obj[k].(float64); !ok {
					t.Errorf("GET %s: %s.%s.%s = %#v, want a number", path, addr, region, k, obj[k])
				}
			}
		}
	}
	var out map[string]map[string]map[string]float64
	getJSON(t, ts, path, &out)
	return out
}

// getAny answers GET path (200 and JSON) decoded into any.
func getAny(t *testing.T, ts *testServer, path string) any {
	t.Helper()
	code, body := getStatus(t, ts, path)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, code, body)
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	return v
}

// field is v's key k, failing when v is not an object.
func field(t *testing.T, v any, k string) any {
	t.Helper()
	obj, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%#v is not an object (want key %s)", v, k)
	}
	return obj[k]
}

// arrayAt is v as a JSON array, failing when it is null or anything else.
func arrayAt(t *testing.T, what string, v any) []any {
	t.Helper()
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("%s = %#v, want an array (never null)", what, v)
	}
	return a
}
