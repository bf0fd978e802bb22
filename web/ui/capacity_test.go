package ui_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
)

// TestHandler_Capacity checks the orchestrator page's capacity section: the
// latest test per region in words, a picture of the history, and a
// capped or untested region never shown as 0.
func TestHandler_Capacity(t *testing.T) {
	st := newStore(t)
	cs := st.(podium.CapacityStore)
	level := func(n int, verdict string) podium.CapacityLevel {
		lv := podium.CapacityLevel{Streams: n, Segments: 5 * n, Verified: 5 * n, Verdict: verdict}
		if verdict == podium.CapacityStoppedCapped {
			lv.Verified, lv.Capped = 0, 5*n
		}
		return lv
	}
	recs := []podium.Capacity{
		{TestID: "cap-fra-old", Region: "FRA", Orchestrator: addr(4), Timestamp: testNow.Unix() - 3*86400, Streams: 2, Renditions: 4, Profiles: 2,
			Advertised: 4, Ceiling: 8, StoppedBy: podium.CapacityStoppedCapped, Levels: []podium.CapacityLevel{level(1, ""), level(2, ""), level(4, podium.CapacityStoppedCapped)}},
		{TestID: "cap-fra-new", Region: "FRA", Orchestrator: addr(4), Timestamp: testNow.Unix() - 86400, Streams: 3, Renditions: 6, Profiles: 2,
			Advertised: 4, Ceiling: 8, StoppedBy: podium.CapacityStoppedCapped, Levels: []podium.CapacityLevel{level(1, ""), level(2, ""), level(4, podium.CapacityStoppedCapped), level(3, "")}},
		{TestID: "cap-mdw", Region: "MDW", Orchestrator: addr(4), Timestamp: testNow.Unix() - 7200, Profiles: 2,
			Ceiling: 8, StoppedBy: podium.CapacityStoppedCapped, Levels: []podium.CapacityLevel{level(1, podium.CapacityStoppedCapped)}},
	}
	for i := range recs {
		if err := recs[i].Normalize(podium.NewRegionSet(podium.DefaultRegions()), testNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cs.AddCapacity(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, uiConfig(t, st))
	_, body := get(t, h, "/orchestrators/"+addr(4))
	row := func(region string) string {
		m := regexp.MustCompile(`(?s)<tr data-region="` + region + `"[^>]*>.*?</tr>`).FindString(body[strings.Index(body, `id="capacity-latest"`):])
		if m == "" {
			t.Fatalf("no capacity row for %s in\n%s", region, body)
		}
		return m
	}
	if r := row("FRA"); !strings.Contains(r, "3 streams, then capped") || !strings.Contains(r, ">6<") || !strings.Contains(r, ">4<") {
		t.Errorf("FRA row shows the latest test wrong:\n%s", r)
	}
	if r := row("MDW"); !strings.Contains(r, "capped: refused the first stream") || regexp.MustCompile(`>0<`).MatchString(r) {
		t.Errorf("MDW row, capped at the first stream, must say so and show no 0:\n%s", r)
	}
	if r := row("SIN"); !strings.Contains(r, "no capacity test yet") || !strings.Contains(r, `class="nodata"`) || regexp.MustCompile(`>0<`).MatchString(r) {
		t.Errorf("SIN row, never tested, must say so and show no 0:\n%s", r)
	}
	chart := regexp.MustCompile(`(?s)<svg class="chart capacity".*?</svg>`).FindString(body)
	if strings.Count(chart, `data-streams="`) != 2 || !strings.Contains(chart, `data-streams="3"`) ||
		!strings.Contains(chart, `class="cap r`) || !strings.Contains(chart, `none" data-stopped-by="capped"`) {
		t.Errorf("the capacity chart does not draw the 3 tests (2 with streams, 1 capped at none):\n%s", chart)
	}

	// The leaderboard's capacity column: the latest test per region,
	// capped and untested in words, never 0.
	_, board := get(t, h, "/")
	cell := func(body, a string) string {
		m := regexp.MustCompile(`(?s)<tr data-address="` + a + `"[^>]*>.*?data-col="capacity">(.*?)</td>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no capacity cell for %s in\n%s", a, body)
		}
		return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")
	}
	if c := cell(board, addr(4)); c != "MDW capped at 1st stream · FRA capped at 3 · SIN no test yet" {
		t.Errorf("the Global board's capacity of %s: %q", addr(4), c)
	}
	if c := cell(board, addr(5)); c != "MDW no test yet · FRA no test yet · SIN no test yet" {
		t.Errorf("the Global board's capacity of an untested orchestrator: %q", c)
	}
	_, board = get(t, h, "/?region=FRA")
	if c := cell(board, addr(4)); c != "capped at 3" {
		t.Errorf("the FRA board's capacity of %s: %q", addr(4), c)
	}

	// An orchestrator never capacity tested: the section says so.
	_, body = get(t, h, "/orchestrators/"+addr(5))
	if !strings.Contains(body, "no capacity test in the last 30 days") || strings.Count(body, "no capacity test yet") != len(podium.DefaultRegions()) {
		t.Errorf("an untested orchestrator's page does not say it has no capacity test")
	}
}
