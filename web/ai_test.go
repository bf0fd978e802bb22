package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

func aiRec(orch, region string, ts int64, pipeline, model string, rtt, success float64) podium.Stats {
	return podium.Stats{Orchestrator: orch, Region: region, Timestamp: ts, Pipeline: pipeline, Model: model,
		RoundTripTime: rtt, SuccessRate: success, ModelIsWarm: true, InputParameters: `{"prompt":"a bear"}`}
}

// anchorAI is leaderboard-serverless's AI scoring, written from its source
// (postgres.go, score/stats_scorer.go) over the records themselves.
func anchorAI(recs []podium.Stats, since, until int64, pipeline, model, region string) map[string]map[string]podium.Score {
	keep := func(s podium.Stats) bool {
		return s.IsAI() && s.Timestamp >= since && s.Timestamp < until && s.Pipeline == pipeline && s.Model == model &&
			(region == "" || s.Region == region)
	}
	var rtts []float64
	type sum struct {
		n          float64
		sr, rtt    float64
		orch, regn string
	}
	sums := map[[2]string]*sum{}
	for _, s := range recs {
		if !keep(s) {
			continue
		}
		if s.RoundTripTime != 0 && s.SuccessRate == 1 {
			rtts = append(rtts, s.RoundTripTime)
		}
		k := [2]string{s.Orchestrator, s.Region}
		if sums[k] == nil {
			sums[k] = &sum{orch: s.Orchestrator, regn: s.Region}
		}
		sums[k].n++
		sums[k].sr += s.SuccessRate
		sums[k].rtt += s.RoundTripTime
	}
	sort.Float64s(rtts)
	median := math.NaN()
	if n := len(rtts); n > 0 {
		median = rtts[(n-1)/2] + (rtts[n/2]-rtts[(n-1)/2])*0.5
	}
	out := map[string]map[string]podium.Score{}
	for _, s := range sums {
		sr, mean := s.sr/s.n, s.rtt/s.n
		k := -math.Log(0.8) / median
		rtt := math.Exp(-k * mean)
		if math.IsNaN(median) {
			rtt = 0 // podium's defined answer where the anchor has NaN
		}
		sc := podium.Score{SuccessRate: sr, RoundTripScore: rtt, Total: 0.65*sr + 0.35*rtt}
		if sr == 0 {
			sc = podium.Score{RoundTripScore: rtt}
		}
		if out[s.orch] == nil {
			out[s.orch] = map[string]podium.Score{}
		}
		out[s.orch][s.regn] = sc
	}
	return out
}

func getStatus(t *testing.T, ts *testServer, path string) (int, string) {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := readAll(resp)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func TestServer_AI(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		const since, until = 1723000000, 1723040000
		const t2i, sdxl = "text-to-image", "ByteDance/SDXL-Lightning"
		ts := newTestServer(t, open, web.Config{})
		ctx := context.Background()

		t.Run("Post", func(t *testing.T) {
			r := aiRec(orchB, "FRA", since+50, "upscale", "x4", 1.5, 1)
			r.ResponsePayload = strings.Repeat("x", 100<<10) // over the old 64 KiB limit
			res, err := ts.client.PostStats(ctx, r)
			if err != nil || res.Status != web.StatusStored || len(res.Truncated) != 1 || res.Truncated[0] != "response_payload" {
				t.Fatalf("post: %+v %v", res, err)
			}
			if res, err = ts.client.PostStats(ctx, r); err != nil || res.Status != web.StatusDuplicate {
				t.Fatalf("post again: %+v %v", res, err)
			}
			half := aiRec(orchB, "FRA", since+50, "upscale", "", 1.5, 1)
			if _, err := ts.client.PostStats(ctx, half); podium.ErrorField(err) != "model" {
				t.Fatalf("a pipeline without a model: %v", err)
			}
		})

		recs := []podium.Stats{
			aiRec(orchA, "FRA", since+1, t2i, sdxl, 2, 1),
			aiRec(orchA, "FRA", since+2, t2i, sdxl, 0.5, 0), // failed: in the mean, not the median
			aiRec(orchA, "MDW", since+3, t2i, sdxl, 3, 1),
			aiRec(orchB, "FRA", since+4, t2i, sdxl, 4, 1),
			aiRec(orchB, "LAX", since+5, t2i, sdxl, 0, 0),
			aiRec(orchB, "LAX", until+5, t2i, sdxl, 1, 1), // outside
			aiRec(orchA, "FRA", since+6, t2i, "SG161222/RealVisXL_V4.0", 1, 1),
			rec(orchA, "FRA", since+7, 2, 1, 1), // transcoding
		}
		addStats(t, ts.store, recs...)
		// recs as stored (normalized) for the reference.
		regions := podium.NewRegionSet(podium.LeaderboardRegions())
		for i := range recs {
			recs[i].Normalize(regions, testNow)
		}

		t.Run("AggregatedStats", func(t *testing.T) {
			for _, region := range []string{"", "FRA", "LAX"} {
				path := fmt.Sprintf("/api/aggregated_stats?since=%d&until=%d&pipeline=%s&model=%s&region=%s", since, until, t2i, sdxl, region)
				var got map[string]map[string]podium.Score
				getJSON(t, ts, path, &got)
				want := anchorAI(recs, since, until, t2i, sdxl, region)
				if !scoresEqual(got, want, 1e-12) {
					t.Fatalf("%s\n got %v\nwant %v", path, got, want)
				}
				// A go-livepeer gateway decodes every value as a number.
				var gw map[string]map[string]map[string]float64 // fresh each time
				getJSON(t, ts, path, &gw)
			}
			// The orchestrator filter leaves the median across all.
			var got map[string]map[string]podium.Score
			getJSON(t, ts, fmt.Sprintf("/api/aggregated_stats?since=%d&until=%d&pipeline=%s&model=%s&orchestrator=%s", since, until, t2i, sdxl, orchB), &got)
			want := anchorAI(recs, since, until, t2i, sdxl, "")
			if !scoresEqual(got, map[string]map[string]podium.Score{orchB: want[orchB]}, 1e-12) {
				t.Fatalf("orchestrator B: %v, want %v", got, want[orchB])
			}
			// Transcoding answers count no AI test.
			tr, err := ts.client.AggregatedStats(ctx, podium.StatsQuery{Since: since, Until: until})
			if err != nil || len(tr) != 1 || len(tr[orchA]) != 1 || tr[orchA]["FRA"].SuccessRate != 1 {
				t.Fatalf("transcoding: %v %v", tr, err)
			}
			// job_type=transcoding with a pipeline matches nothing, as on the leaderboard.
			if code, body := getStatus(t, ts, fmt.Sprintf("/api/aggregated_stats?since=%d&until=%d&pipeline=%s&model=%s&job_type=transcoding", since, until, t2i, sdxl)); code != 200 || strings.TrimSpace(body) != "{}" {
				t.Fatalf("transcoding of a pipeline: %d %s", code, body)
			}
		})
		t.Run("BadRequests", func(t *testing.T) {
			for _, tc := range []struct{ path, err string }{
				{"/api/aggregated_stats?model=m", "pipeline required"},
				{"/api/aggregated_stats?pipeline=p", "model required"},
				{"/api/raw_stats?orchestrator=" + orchA + "&model=m", "pipeline required"},
				{"/api/pipelines?pipeline=p", "model required"},
				{"/api/aggregated_stats?job_type=video", "job_type"},
			} {
				code, body := getStatus(t, ts, tc.path)
				var e struct{ Error string }
				json.Unmarshal([]byte(body), &e)
				if code != http.StatusBadRequest || !strings.HasPrefix(e.Error, tc.err) {
					t.Errorf("%s: %d %s, want 400 %q", tc.path, code, body, tc.err)
				}
			}
		})
		t.Run("RawStats", func(t *testing.T) {
			var got map[string][]podium.Stats
			getJSON(t, ts, fmt.Sprintf("/api/raw_stats?orchestrator=%s&since=%d&until=%d&pipeline=%s&model=%s", orchA, since, until, t2i, sdxl), &got)
			if len(got) != 2 || len(got["FRA"]) != 2 || len(got["MDW"]) != 1 {
				t.Fatalf("raw stats: %v", got)
			}
			f := got["FRA"][0] // newest first
			if f.Timestamp != since+2 || f.Pipeline != t2i || f.Model != sdxl || !f.ModelIsWarm || f.InputParameters != `{"prompt":"a bear"}` || f.Errors == nil {
				t.Fatalf("AI fields: %+v", f)
			}
			got = nil
			getJSON(t, ts, fmt.Sprintf("/api/raw_stats?orchestrator=%s&since=%d&until=%d&job_type=ai", orchA, since, until), &got)
			if n := len(got["FRA"]); n != 3 {
				t.Fatalf("every AI test of A in FRA: %d", n)
			}
			got = nil
			getJSON(t, ts, fmt.Sprintf("/api/raw_stats?orchestrator=%s&since=%d&until=%d", orchA, since, until), &got)
			if len(got) != 1 || len(got["FRA"]) != 1 || got["FRA"][0].IsAI() {
				t.Fatalf("transcoding raw stats: %v", got)
			}
		})
		t.Run("Pipelines", func(t *testing.T) {
			code, body := getStatus(t, ts, fmt.Sprintf("/api/pipelines?since=%d&until=%d", since, until))
			want := `{"pipelines":[{"id":"text-to-image","models":["ByteDance/SDXL-Lightning","SG161222/RealVisXL_V4.0"],"regions":["FRA","LAX","MDW"]},{"id":"upscale","models":["x4"],"regions":["FRA"]}]}`
			if code != 200 || strings.TrimSpace(body) != want {
				t.Fatalf("pipelines: %d\n got %s\nwant %s", code, body, want)
			}
			code, body = getStatus(t, ts, fmt.Sprintf("/api/pipelines?since=%d&until=%d", until+100, until+200))
			if code != 200 || strings.TrimSpace(body) != `{"pipelines":[]}` {
				t.Fatalf("no pipelines: %d %s", code, body)
			}
		})
		t.Run("Client", func(t *testing.T) {
			// The client asks what the URLs above ask: job_type, pipeline
			// and model reach the server.
			q := podium.StatsQuery{Orchestrator: orchA, Since: since, Until: until, JobType: podium.JobAI, Pipeline: t2i, Model: sdxl}
			raw, err := ts.client.RawStats(ctx, q)
			if err != nil || len(raw["FRA"]) != 2 || len(raw["MDW"]) != 1 || raw["FRA"][1].Model != sdxl || raw["FRA"][1].RoundTripTime != 2 {
				t.Fatalf("AI raw stats: %v %v", raw, err)
			}
			q.Orchestrator = ""
			agg, err := ts.client.AggregatedStats(ctx, q)
			if err != nil || len(agg) != 2 || len(agg[orchB]) != 2 {
				t.Fatalf("AI aggregated stats: %v %v", agg, err)
			}
			q.Pipeline, q.Model = "upscale", "x4"
			if agg, err := ts.client.AggregatedStats(ctx, q); err != nil || len(agg) != 1 || len(agg[orchB]) != 1 {
				t.Fatalf("AI aggregated stats of upscale: %v %v", agg, err)
			}
			ps, err := ts.client.Pipelines(ctx, podium.StatsQuery{Since: since, Until: until})
			if err != nil || len(ps) != 2 || ps[0].ID != t2i || len(ps[0].Models) != 2 || ps[1].ID != "upscale" {
				t.Fatalf("pipelines: %+v %v", ps, err)
			}
			if ps, err := ts.client.Pipelines(ctx, podium.StatsQuery{Since: until + 100, Until: until + 200}); err != nil || len(ps) != 0 {
				t.Fatalf("no pipelines: %+v %v", ps, err)
			}
		})
		t.Run("TopAIScore", func(t *testing.T) {
			// The default window is the last 24 hours before testNow.
			srv := newTestServer(t, open, web.Config{})
			now := testNow.Unix()
			top := []podium.Stats{
				aiRec(orchA, "FRA", now-100, t2i, sdxl, 2, 1),
				aiRec(orchA, "MDW", now-100, "upscale", "x4", 1, 0.5),
				aiRec(orchB, "FRA", now-50, t2i, sdxl, 4, 1),
				aiRec(orchA, "LAX", now-90000, t2i, sdxl, 0.1, 1), // older than 24 h
			}
			addStats(t, srv.store, top...)
			var got map[string]any
			getJSON(t, srv, "/api/top_ai_score?orchestrator=0x"+strings.ToUpper(orchA[2:]), &got) // any case
			v := 0.65 + 0.35*math.Exp(math.Log(0.8)/3*2)                                          // median of 2 and 4 is 3
			if got["region"] != "FRA" || got["orchestrator"] != orchA || got["pipeline"] != t2i || got["model"] != sdxl || math.Abs(got["value"].(float64)-v) > 1e-12 {
				t.Fatalf("top: %v, want value %v", got, v)
			}
			for _, q := range []string{"?orchestrator=0x0000000000000000000000000000000000000001", "", "?orchestrator="} {
				if code, body := getStatus(t, srv, "/api/top_ai_score"+q); code != 200 || strings.TrimSpace(body) != "{}" {
					t.Fatalf("top of nobody (%q): %d %s", q, code, body)
				}
			}
		})
	})
}
