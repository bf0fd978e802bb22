package web_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// addStats stores recs directly, bypassing HTTP.
func addStats(t *testing.T, store podium.StatsStore, recs ...podium.Stats) {
	t.Helper()
	regions := podium.NewRegionSet(podium.LeaderboardRegions())
	for i := range recs {
		if err := recs[i].Normalize(regions, testNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.AddStats(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
}

func rec(orch, region string, ts int64, seg, rtt, success float64) podium.Stats {
	return podium.Stats{Orchestrator: orch, Region: region, Timestamp: ts,
		SegDuration: seg, RoundTripTime: rtt, SuccessRate: success, SegmentsSent: 15}
}

func TestServer_AggregatedStats(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		const since, until = 1723000000, 1723040000 // a week before testNow
		t.Run("OK", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{})
			addStats(t, ts.store,
				// A in FRA: averages first (seg 2, rtt 4/3, success 0.5), the
				// failed test's zero round trip included.
				rec(orchA, "FRA", since, 2, 1, 1),
				rec(orchA, "FRA", since+100, 2, 0, 0),
				rec(orchA, "FRA", until-1, 2, 3, 0.5),
				// A in MDW: only failed tests: scored 0, not absent.
				rec(orchA, "MDW", since+5, 0, 0, 0),
				// B in SIN: real time.
				rec(orchB, "SIN", since+10, 2, 2, 1),
				rec(orchB, "SIN", since+20, 2, 2, 1),
				// Outside [since, until): ignored.
				rec(orchA, "FRA", since-1, 2, 100, 0),
				rec(orchA, "FRA", until, 2, 100, 0),
				rec(orchB, "MDW", until, 2, 2, 1),
			)
			// Computed by hand: 1-e^-1.5 = 0.7768698398515702, 1-e^-1 = 0.6321205588285577.
			want := map[string]map[string]podium.Score{
				orchA: {
					"FRA": {SuccessRate: 0.5, RoundTripScore: 0.7768698398515702, Total: 0.3884349199257851},
					"MDW": {},
				},
				orchB: {"SIN": {SuccessRate: 1, RoundTripScore: 0.6321205588285577, Total: 0.6321205588285577}},
			}
			for _, tt := range []struct {
				query string
				want  map[string]map[string]podium.Score
			}{
				{fmt.Sprintf("since=%d&until=%d", since, until), want},
				{fmt.Sprintf("since=%d.0&until=%d", since, until), want},
				{fmt.Sprintf("since=%d.9&until=%d.0001", since-1, until-1), want},
				{fmt.Sprintf("since=%d&until=%d&orchestrator=%s", since, until, strings.ToUpper(orchB)), map[string]map[string]podium.Score{orchB: want[orchB]}},
				{fmt.Sprintf("since=%d&until=%d&region=sin", since, until), map[string]map[string]podium.Score{orchB: want[orchB]}},
				{fmt.Sprintf("since=%d&until=%d&orchestrator=0x%040d", since, until, 1), map[string]map[string]podium.Score{}},
				{fmt.Sprintf("since=%d&until=%d", until, since), map[string]map[string]podium.Score{}},
				{"", map[string]map[string]podium.Score{}}, // the last 24 h before testNow hold no test
			} {
				t.Run(tt.query, func(t *testing.T) {
					var got map[string]map[string]podium.Score
					getJSON(t, ts, "/api/aggregated_stats?"+tt.query, &got)
					if !scoresEqual(got, tt.want, 1e-15) {
						t.Fatalf("got %+v\nwant %+v", got, tt.want)
					}
				})
			}
		})

		t.Run("OKSameAsLeaderboardServerless", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{})
			var recs []podium.Stats
			for i := range 60 {
				orch := []string{orchA, orchB}[i%2]
				region := []string{"FRA", "MDW", "SIN"}[i%3]
				r := rec(orch, region, since+int64(i)*600,
					2.0088571428571425-float64(i%5)*0.013, 1.9470436519285717*float64(i%4)/2, float64(i%7)/6)
				if i%7 == 6 {
					r.SuccessRate = 1
				}
				recs = append(recs, r)
			}
			addStats(t, ts.store, recs...)
			var got map[string]map[string]podium.Score
			getJSON(t, ts, fmt.Sprintf("/api/aggregated_stats?since=%d&until=%d", since, until), &got)
			want := leaderboardServerless(recs, since, until)
			// podium sums times in µs and rates in 1e-9 (aggregate.go), so the
			// scores agree to that resolution, not to the last float bit.
			if len(want) != 2 || !scoresEqual(got, want, 1e-6) {
				t.Fatalf("got %+v\nwant %+v", got, want)
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{})
			for _, tt := range []struct{ query, field string }{
				{"since=yesterday", "since"},
				{"until=1e400", "until"},
				{"since=NaN", "since"},
				{"since=1&until=-Inf", "until"},
			} {
				status, body := ts.get(t, "/api/aggregated_stats?"+tt.query)
				if status != http.StatusBadRequest || body["field"] != tt.field || body["error"] == "" {
					t.Errorf("%s: got %d %v", tt.query, status, body)
				}
			}
		})
	})
}

// leaderboardServerless scores recs the way leaderboard-serverless does:
// AVG of success_rate, seg_duration and round_trip_time per orchestrator and
// region, then 1-e^-(seg/rtt) (0 when rtt is 0), total = success × that (0
// when success is 0). Its window is inclusive; the records here avoid the
// bounds.
func leaderboardServerless(recs []podium.Stats, since, until int64) map[string]map[string]podium.Score {
	type sums struct{ n, success, seg, rtt float64 }
	by := map[[2]string]*sums{}
	for _, r := range recs {
		if r.Timestamp < since || r.Timestamp > until {
			continue
		}
		k := [2]string{r.Orchestrator, r.Region}
		if by[k] == nil {
			by[k] = &sums{}
		}
		s := by[k]
		s.n++
		s.success += r.SuccessRate
		s.seg += r.SegDuration
		s.rtt += r.RoundTripTime
	}
	out := map[string]map[string]podium.Score{}
	for k, s := range by {
		success, seg, rtt := s.success/s.n, s.seg/s.n, s.rtt/s.n
		latency := 0.0
		if rtt != 0 {
			latency = 1 - math.Pow(math.E, -(seg/rtt))
		}
		total := 0.0
		if success != 0 {
			total = success * latency
		}
		if out[k[0]] == nil {
			out[k[0]] = map[string]podium.Score{}
		}
		out[k[0]][k[1]] = podium.Score{SuccessRate: success, RoundTripScore: latency, Total: total}
	}
	return out
}

func scoresEqual(a, b map[string]map[string]podium.Score, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	near := func(x, y float64) bool { return math.Abs(x-y) <= tol }
	for orch, regions := range a {
		if len(regions) != len(b[orch]) {
			return false
		}
		for region, s := range regions {
			w, ok := b[orch][region]
			if !ok || !near(s.SuccessRate, w.SuccessRate) || !near(s.RoundTripScore, w.RoundTripScore) || !near(s.Total, w.Total) {
				return false
			}
		}
	}
	return true
}

func getJSON(t *testing.T, ts *testServer, path string, out any) {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	for k, v := range map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"} {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("GET %s: %s = %q, want %q", path, k, got, v)
		}
	}
	if err := jsonDecode(resp, out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func TestServer_RawStats(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		const s = 1723700000
		ts := newTestServer(t, open, web.Config{})
		addStats(t, ts.store,
			rec(orchA, "FRA", s-1, 2, 1, 1),
			rec(orchA, "FRA", s, 2, 1, 1),
			rec(orchA, "FRA", s+1, 2, 1, 1),
			rec(orchA, "MDW", s+2, 2, 1, 1),
			rec(orchA, "FRA", s+9, 2, 1, 1),
			rec(orchA, "FRA", s+10, 2, 1, 1),
			rec(orchB, "FRA", s+3, 2, 1, 1),
		)
		t.Run("OK", func(t *testing.T) {
			for _, tt := range []struct {
				query string
				want  map[string][]int64 // region -> timestamps, newest first
			}{
				{fmt.Sprintf("orchestrator=%s&since=%d&until=%d", orchA, s, s+10), map[string][]int64{"FRA": {s + 9, s + 1, s}, "MDW": {s + 2}}},
				{fmt.Sprintf("orchestrator=%s&since=%d.5&until=%d.5", strings.ToUpper(orchA), s, s+9), map[string][]int64{"FRA": {s + 9, s + 1}, "MDW": {s + 2}}},
				{fmt.Sprintf("orchestrator=%s&region=fra&since=%d&until=%d", orchA, s-1, s+11), map[string][]int64{"FRA": {s + 10, s + 9, s + 1, s, s - 1}}},
				{fmt.Sprintf("orchestrator=%s&since=%d&until=%d", orchB, s, s+3), map[string][]int64{}},
			} {
				t.Run(tt.query, func(t *testing.T) {
					var got map[string][]podium.Stats
					getJSON(t, ts, "/api/raw_stats?"+tt.query, &got)
					gotTS := map[string][]int64{}
					for region, recs := range got {
						for _, r := range recs {
							gotTS[region] = append(gotTS[region], r.Timestamp)
						}
					}
					if fmt.Sprint(gotTS) != fmt.Sprint(tt.want) {
						t.Fatalf("got %v, want %v", gotTS, tt.want)
					}
				})
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, tt := range []struct{ query, field, text string }{
				{"since=1", "orchestrator", "required"},
				{"orchestrator=" + orchA + "&since=x", "since", "unix seconds"},
				{"orchestrator=" + orchA + "&until=1.2.3", "until", "unix seconds"},
			} {
				status, body := ts.get(t, "/api/raw_stats?"+tt.query)
				msg, _ := body["error"].(string)
				if status != http.StatusBadRequest || body["field"] != tt.field || !strings.Contains(msg, tt.text) {
					t.Errorf("%s: got %d %v", tt.query, status, body)
				}
			}
		})
	})
}

func TestServer_Regions(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		custom := []podium.Region{{ID: "LAX", Name: "Los Angeles", Type: "transcoding"}}
		for _, tt := range []struct {
			name    string
			regions []podium.Region
			want    []podium.Region
		}{
			{"OKDefault", nil, podium.LeaderboardRegions()},
			{"OKConfigured", custom, custom},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ts := newTestServer(t, open, web.Config{Regions: tt.regions})
				got, err := ts.client.Regions(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
				var raw map[string][]map[string]string
				getJSON(t, ts, "/api/regions", &raw)
				if r := raw["regions"][0]; r["id"] != tt.want[0].ID || r["name"] != tt.want[0].Name || r["type"] != "transcoding" {
					t.Fatalf("JSON shape %v", raw)
				}
			})
		}
	})
}

func TestServer_CORS(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		ts := newTestServer(t, open, web.Config{})
		for _, path := range []string{"/api/post_stats", "/api/aggregated_stats", "/api/raw_stats", "/api/regions"} {
			req, _ := http.NewRequest(http.MethodOptions, ts.URL+path, nil)
			req.Header.Set("Origin", "https://explorer.livepeer.org")
			req.Header.Set("Access-Control-Request-Method", "GET")
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
				!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "GET") ||
				!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), web.SignatureHeader) {
				t.Errorf("OPTIONS %s: %s %v", path, resp.Status, resp.Header)
			}
		}
		// Errors carry CORS too, so a browser can read them.
		resp, err := ts.Client().Get(ts.URL + "/api/raw_stats")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET raw_stats error: %s %v", resp.Status, resp.Header)
		}
	})
}

func TestServer_HealthAndMetrics(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		ts := newTestServer(t, open, web.Config{})
		if status, body := ts.get(t, "/healthz"); status != 200 || body["status"] != "ok" {
			t.Fatalf("healthz: %d %v", status, body)
		}
		ctx := context.Background()
		ts.client.PostStats(ctx, validStats())
		ts.client.PostStats(ctx, validStats())
		bad := validStats()
		bad.Region = "XYZ"
		ts.client.PostStats(ctx, bad)
		web.NewClient(ts.URL, []byte("wrong")).PostStats(ctx, validStats())
		ts.client.AggregatedStats(ctx, podium.StatsQuery{})
		resp, err := ts.Client().Get(ts.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := readAll(resp)
		for _, want := range []string{
			`podium_ingest_records_total{result="ok"} 1`,
			`podium_ingest_records_total{result="duplicate"} 1`,
			`podium_ingest_records_total{result="invalid"} 1`,
			`podium_ingest_records_total{result="unauthorized"} 1`,
			`podium_ingest_records_total{result="error"} 0`,
			`podium_query_duration_seconds_count{endpoint="aggregated_stats"} 1`,
			// The two valid posts came one after the other: a group each.
			"podium_ingest_group_commits_total 2",
			"podium_ingest_group_commit_records_total 2",
		} {
			if !strings.Contains(data, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if os.Getenv("PODIUM_SHOW_METRICS") != "" {
			t.Log(data)
		}
	})
}

func TestServer_NoRoute(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		ts := newTestServer(t, open, web.Config{})
		for _, tt := range []struct {
			method, path string
			status       int
			allow        string
		}{
			{http.MethodGet, "/api/post_stats", http.StatusMethodNotAllowed, "POST, OPTIONS"},
			{http.MethodPost, "/api/aggregated_stats", http.StatusMethodNotAllowed, "GET, HEAD, OPTIONS"},
			{http.MethodDelete, "/api/regions", http.StatusMethodNotAllowed, "GET, HEAD, OPTIONS"},
			{http.MethodGet, "/api/nothing", http.StatusNotFound, ""},
			{http.MethodGet, "/", http.StatusNotFound, ""},
		} {
			req, _ := http.NewRequest(tt.method, ts.URL+tt.path, nil)
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("Allow") != tt.allow || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%s %s: %s, Allow %q, %s", tt.method, tt.path, resp.Status, resp.Header.Get("Allow"), resp.Header.Get("Content-Type"))
			}
		}
	})
}
