package ui_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web/ui"
)

const (
	t2i, sdxl = "text-to-image", "ByteDance/SDXL-Lightning"
	upscale   = "upscale"
)

// aiRecord is one AI test of orchestrator n in region, rtt seconds ago
// from the seeded records' clock.
func aiRecord(n int, region, pipeline, model string, ago int64, rtt, success float64) podium.Stats {
	return podium.Stats{Region: region, Orchestrator: addr(n), Timestamp: testNow.Unix() - ago,
		Pipeline: pipeline, Model: model, RoundTripTime: rtt, SuccessRate: success}
}

// seedAI adds AI tests in FRA: on text-to-image, orchestrator 1 in 2 s and
// 2 in 4 s (the median is 3 s), 3 failing; orchestrator 1 on upscale.
func seedAI(t *testing.T, st podium.StatsStore) {
	t.Helper()
	recs := []podium.Stats{
		aiRecord(1, "FRA", t2i, sdxl, 600, 2, 1),
		aiRecord(2, "FRA", t2i, sdxl, 500, 4, 1),
		aiRecord(3, "FRA", t2i, sdxl, 400, 1, 0),
		aiRecord(1, "FRA", upscale, "x4", 300, 1.5, 1),
	}
	regions := podium.NewRegionSet(podium.LeaderboardRegions())
	for i := range recs {
		if err := recs[i].Normalize(regions, testNow); err != nil {
			t.Fatalf("AI record %d: %v", i, err)
		}
	}
	if _, err := st.AddStats(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
}

// cellRE reads a board row's address and total.
var cellRE = regexp.MustCompile(`(?s)<tr data-address="(0x[0-9a-f]{40})"[^>]*>.*?data-col="total">(.*?)</td>`)

func boardTotals(t *testing.T, body string) map[string]string {
	t.Helper()
	_, board, ok := strings.Cut(body, `id="leaderboard"`)
	if !ok {
		t.Fatalf("no board in\n%s", body)
	}
	got := map[string]string{}
	for _, m := range cellRE.FindAllStringSubmatch(board, -1) {
		got[m[1]] = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[2], "")
	}
	return got
}

// TestHandler_AIBoard checks the leaderboard's job-type and pipeline/model
// selectors and the AI scores against hand-computed values:
// k = ln 1.25 / 3 s, rtt = 1.25^(−rtt/3), total = 0.65 + 0.35 × rtt.
func TestHandler_AIBoard(t *testing.T) {
	st := newStore(t)
	seedAI(t, st)
	h := newHandler(t, podiumConfig(st))

	t.Run("OK", func(t *testing.T) {
		code, body := get(t, h, "/?job_type=ai&region=FRA&pipeline="+t2i+"&model="+sdxl)
		if code != 200 {
			t.Fatalf("%d\n%s", code, body)
		}
		got := boardTotals(t, body)
		want := map[string]string{addr(1): "9.52", addr(2): "9.10", addr(3): "0.00"}
		for a, w := range want {
			if got[a] != w {
				t.Errorf("%s: total %q, want %q", a, got[a], w)
			}
		}
		if !strings.Contains(got[addr(4)], "no data") {
			t.Errorf("an orchestrator without an AI test shows %q, want no data", got[addr(4)])
		}
		for _, link := range []string{`data-pipeline="upscale" data-model="x4"`, `aria-current="true" data-pipeline="text-to-image"`, `data-job="transcoding"`} {
			if !strings.Contains(body, link) {
				t.Errorf("the page lacks %s", link)
			}
		}
		// A row's link keeps the selection.
		if !strings.Contains(body, `/orchestrators/`+addr(1)+`?job_type=ai&amp;model=ByteDance%2FSDXL-Lightning&amp;pipeline=text-to-image&amp;region=FRA`) {
			t.Error("the orchestrator links drop the AI selection")
		}
	})
	t.Run("FirstPipeline", func(t *testing.T) {
		_, body := get(t, h, "/?job_type=ai")
		if !strings.Contains(body, `aria-current="true" data-pipeline="text-to-image" data-model="ByteDance/SDXL-Lightning"`) {
			t.Errorf("AI mode without a pipeline does not select the first one:\n%s", body)
		}
	})
	t.Run("TranscodingUnpolluted", func(t *testing.T) {
		_, body := get(t, h, "/?region=FRA")
		if strings.Contains(body, `id="pipelines"`) {
			t.Error("the transcoding board shows the AI selector")
		}
		plain := newHandler(t, podiumConfig(newStore(t)))
		_, without := get(t, plain, "/?region=FRA")
		got, want := boardTotals(t, body), boardTotals(t, without)
		if len(got) != len(want) {
			t.Fatalf("AI tests change the transcoding board's rows: %d, want %d", len(got), len(want))
		}
		for a, w := range want {
			if got[a] != w {
				t.Errorf("%s: AI tests change its transcoding total to %q from %q", a, got[a], w)
			}
		}
	})
	for _, tc := range []struct{ query, field string }{
		{"pipeline=" + t2i, "model"},
		{"model=" + sdxl, "pipeline"},
		{"job_type=video", "job_type"},
		{"job_type=transcoding&pipeline=a&model=b", "job_type"},
	} {
		t.Run("ErrInvalid/"+tc.field, func(t *testing.T) {
			code, body := get(t, h, "/?"+tc.query)
			if code != 400 || !strings.Contains(body, tc.field) {
				t.Errorf("%s: %d, want a 400 naming %s\n%s", tc.query, code, tc.field, body)
			}
		})
	}
}

func podiumConfig(st podium.StatsStore) ui.Config { return ui.Config{Store: st} }

// TestHandler_OrchestratorAI checks the orchestrator page's AI section:
// the best AI score and where it came from equal the store's TopAIScore
// (what /api/top_ai_score answers), the results per pipeline, model and
// region, and the history chart of the chosen pipeline and model.
func TestHandler_OrchestratorAI(t *testing.T) {
	st := newStore(t)
	seedAI(t, st)
	h := newHandler(t, podiumConfig(st))

	t.Run("OK", func(t *testing.T) {
		code, body := get(t, h, "/orchestrators/"+addr(1))
		if code != 200 {
			t.Fatalf("%d\n%s", code, body)
		}
		top, ok, err := st.(podium.AIStore).TopAIScore(context.Background(), addr(1), testNow.Add(-24*time.Hour).Unix(), testNow.Unix())
		if err != nil || !ok {
			t.Fatalf("top AI score: %v %v", ok, err)
		}
		// upscale: alone in its median, so its round trip scores 0.8 and
		// its total 0.65 + 0.35 × 0.8 = 0.93; text-to-image is 0.9516.
		if top.Pipeline != upscale {
			t.Fatalf("the store's best score is %+v, want upscale (fewer seconds, same success)", top)
		}
		wantTop := `data-pipeline="upscale" data-model="x4" data-region="FRA">Best AI score <span class="pill hi" data-col="value">9.30</span>`
		if !strings.Contains(body, wantTop) {
			t.Errorf("the page lacks %s in\n%s", wantTop, section(t, body, `id="ai"`))
		}
		for _, row := range []string{`data-pipeline="text-to-image" data-model="ByteDance/SDXL-Lightning" data-region="FRA"`, `data-pipeline="upscale" data-model="x4" data-region="FRA"`} {
			if !strings.Contains(section(t, body, `id="ai-results"`), row) {
				t.Errorf("the AI results lack %s", row)
			}
		}
		if !strings.Contains(section(t, body, `id="ai-results"`), `>9.52<`) {
			t.Error("the text-to-image row does not show 9.52")
		}
		if !strings.Contains(body, `<figure id="ai-history" data-pipeline="upscale" data-model="x4">`) || !strings.Contains(section(t, body, `id="ai-history"`), "<svg") {
			t.Error("no AI history chart of the best score's pipeline")
		}
	})
	t.Run("ChosenPipeline", func(t *testing.T) {
		_, body := get(t, h, "/orchestrators/"+addr(1)+"?job_type=ai&pipeline="+t2i+"&model="+sdxl)
		if !strings.Contains(body, `<figure id="ai-history" data-pipeline="text-to-image"`) {
			t.Error("the chart does not follow the chosen pipeline")
		}
	})
	t.Run("AIOnly", func(t *testing.T) {
		// Not in the registry and never transcoding-tested: the AI board
		// links to its page, which must exist.
		const stranger = "0x00000000000000000000000000000000000cc001"
		rec := podium.Stats{Region: "FRA", Orchestrator: stranger, Timestamp: testNow.Unix() - 100, Pipeline: upscale, Model: "x4", RoundTripTime: 1, SuccessRate: 1}
		if err := rec.Normalize(podium.NewRegionSet(podium.LeaderboardRegions()), testNow); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddStats(context.Background(), []podium.Stats{rec}); err != nil {
			t.Fatal(err)
		}
		if code, body := get(t, h, "/orchestrators/"+stranger); code != 200 || !strings.Contains(body, `id="top-ai" data-pipeline="upscale"`) {
			t.Errorf("an AI-only orchestrator's page: %d\n%s", code, body)
		}
		// Outside the window too: it was tested, so the page is there.
		if code, _ := get(t, h, "/orchestrators/"+stranger+"?window=custom&since=2020-01-01&until=2020-01-02"); code != 200 {
			t.Errorf("an AI-only orchestrator's page over an old window: %d", code)
		}
		if code, _ := get(t, h, "/orchestrators/0x00000000000000000000000000000000000cc002"); code != 404 {
			t.Errorf("a never-tested stranger's page: %d, want 404", code)
		}
	})
	t.Run("NoAITest", func(t *testing.T) {
		_, body := get(t, h, "/orchestrators/"+addr(4))
		if !strings.Contains(body, `<p class="none" id="top-ai">No AI test in this window.</p>`) {
			t.Errorf("an orchestrator without AI tests: %s", section(t, body, `id="ai"`))
		}
	})
}

// section returns body from marker to the end of its element's section.
func section(t *testing.T, body, marker string) string {
	t.Helper()
	_, s, ok := strings.Cut(body, marker)
	if !ok {
		t.Fatalf("no %s in\n%s", marker, body)
	}
	s, _, _ = strings.Cut(s, "</section>")
	return s
}
