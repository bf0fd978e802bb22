package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/server"
)

// wantAI is what the AI board must show in FRA for pipeline and model over
// the last 24 hours: the scores GET /api/aggregated_stats?job_type=ai
// answers, on 0–10, and "no data" for the known orchestrators it leaves out.
func wantAI(t *testing.T, base, pipeline, model string) map[string]shown {
	t.Helper()
	q := url.Values{"job_type": {"ai"}, "pipeline": {pipeline}, "model": {model}, "region": {"FRA"},
		"since": {fmt.Sprint(testNow.Add(-24 * time.Hour).Unix())}, "until": {fmt.Sprint(testNow.Unix())}}
	resp, err := http.Get(base + "/api/aggregated_stats?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]map[string]podium.Score
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("aggregated_stats: %d %v", resp.StatusCode, err)
	}
	out := map[string]shown{}
	for _, o := range seedRegistry() {
		out[o.Address] = shown{Address: o.Address, Total: "no data", Success: "—", Latency: "—"}
	}
	f := func(x float64) string { return fmt.Sprintf("%.2f", x*10) }
	for a, regs := range got {
		s, ok := regs["FRA"]
		if !ok {
			t.Fatalf("aggregated_stats answers no FRA for %s: %v", a, regs)
		}
		out[a] = shown{Address: a, Total: f(s.Total), Success: f(s.SuccessRate), Latency: f(s.RoundTripScore)}
	}
	return out
}

// TestBrowser_AI picks the AI job type and then a pipeline and model in
// the browser, and checks the AI board cell by cell against the API.
func TestBrowser_AI(t *testing.T) {
	ctx := newBrowser(t)
	dir := artifacts(t)
	db, _ := serveDB(t)
	seedAI(t, db)
	capped := podium.Capacity{TestID: "cap-fra", Region: "FRA", Orchestrator: addr(4), Timestamp: testNow.Unix() - 3600, Streams: 3, Renditions: 6, Profiles: 2,
		Advertised: 4, Ceiling: 8, StoppedBy: podium.CapacityStoppedCapped, Levels: []podium.CapacityLevel{
			{Streams: 1, Segments: 5, Verified: 5}, {Streams: 2, Segments: 10, Verified: 10},
			{Streams: 4, Segments: 20, Capped: 20, Verdict: podium.CapacityStoppedCapped}, {Streams: 3, Segments: 15, Verified: 15}}}
	if err := capped.Normalize(podium.NewRegionSet(podium.LeaderboardRegions()), testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddCapacity(context.Background(), []podium.Capacity{capped}); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, server.Config{Store: db, Regions: podium.LeaderboardRegions(), Registry: seedRegistry(),
		Now: func() time.Time { return testNow }})
	const board = "#leaderboard tbody tr[data-address]"

	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL()+"/?region=FRA"), chromedp.WaitVisible("#leaderboard", chromedp.ByQuery), loaded); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, `a[data-job="ai"]`, `a[data-job="ai"][aria-current]`)
	if u := location(t, ctx); !strings.Contains(u, "job_type=ai") || !strings.Contains(u, "region=FRA") {
		t.Errorf("after picking AI the URL is %s", u)
	}
	// The first pipeline and model is chosen; then pick upscale.
	checkRows(t, readRows(t, ctx, board), wantAI(t, srv.URL(), t2i, sdxl))
	click(t, ctx, `a[data-pipeline="upscale"][data-model="x4"]`, `a[data-pipeline="upscale"][aria-current]`)
	if u := location(t, ctx); !strings.Contains(u, "pipeline=upscale") || !strings.Contains(u, "model=x4") || !strings.Contains(u, "job_type=ai") {
		t.Errorf("after picking upscale the URL is %s", u)
	}
	checkRows(t, readRows(t, ctx, board), wantAI(t, srv.URL(), upscale, "x4"))
	screenshot(t, ctx, dir, "leaderboard-ai-upscale")

	// Back to transcoding: the AI selector goes, and the URL forgets it.
	click(t, ctx, `a[data-job="transcoding"]`, `a[data-job="transcoding"][aria-current]`)
	if u := location(t, ctx); strings.Contains(u, "pipeline=") || strings.Contains(u, "job_type") {
		t.Errorf("back on transcoding the URL is %s", u)
	}
	var n int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('#pipelines').length`, &n)); err != nil || n != 0 {
		t.Errorf("the transcoding board shows %d AI selectors (%v)", n, err)
	}
	// The transcoding board's capacity column: capped in words, untested
	// as "no test yet", never 0.
	var caps map[string]string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`Object.fromEntries(Array.from(document.querySelectorAll('#leaderboard tbody tr[data-address]')).map(tr => [tr.dataset.address, tr.querySelector('[data-col=capacity]').innerText.trim()]))`, &caps)); err != nil {
		t.Fatal(err)
	}
	if caps[addr(4)] != "capped at 3" || caps[addr(1)] != "no test yet" {
		t.Errorf("the FRA board's capacity column shows %q for the capped one, %q for an untested one", caps[addr(4)], caps[addr(1)])
	}
	screenshot(t, ctx, dir, "leaderboard-capacity")
}
