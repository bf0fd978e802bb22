package program_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
)

func aiText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/ai.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseAIPools(t *testing.T) {
	p := mustParse(t, aiText(t))
	r := &p.Rounds[0]
	want := []podium.Eligibility{
		{MinScore: 3, Regions: podium.RegionScope{Mode: podium.ScopeAny}, RequireVerified: true},
		{MinScore: 7, Regions: podium.RegionScope{Mode: podium.ScopeAny}, JobType: podium.JobAI},
		{MinScore: 8, Regions: podium.RegionScope{Mode: podium.ScopeAny}, JobType: podium.JobAI, Top: 3, Per: podium.PerPipeline},
		{MinScore: 6, Regions: podium.RegionScope{Mode: podium.ScopeAny}, JobType: podium.JobAI, Top: 1, Per: podium.PerRegion,
			Pipeline: "upscale", Model: "stabilityai/stable-diffusion-x4-upscaler"},
	}
	for i, w := range want {
		got := r.Pools[i].Eligible
		if got.MinScore != w.MinScore || got.Regions.Mode != w.Regions.Mode || got.RequireVerified != w.RequireVerified ||
			got.JobType != w.JobType || got.Top != w.Top || got.Per != w.Per || got.Pipeline != w.Pipeline || got.Model != w.Model {
			t.Errorf("pool %d: %+v, want %+v", i, got, w)
		}
	}
	// The AI pools do not inherit require_verified (AI tests have no
	// renditions), but one may ask for it.
	v := mustParse(t, strings.Replace(aiText(t), "{job_type: ai, min_score: 7}", "{job_type: ai, min_score: 7, require_verified: true}", 1))
	if !v.Rounds[0].Pools[1].Eligible.RequireVerified {
		t.Error("require_verified: true on an AI pool is ignored")
	}
	// job_type: transcoding is the default written out: same rules.
	explicit := mustParse(t, strings.Replace(aiText(t), "{min_score: 3, regions: any}", "{job_type: transcoding, min_score: 3, regions: any}", 1))
	a, _ := p.RulesID(1)
	b, _ := explicit.RulesID(1)
	if a != b {
		t.Errorf("job_type: transcoding changes the rules id: %s vs %s", a, b)
	}
	if !r.HasAI() || !r.NeedsAI("llm", "any/model", "FRA") || r.NeedsAI("llm", "m", "SIN") {
		t.Error("NeedsAI does not follow the AI pools and the round's regions")
	}
}

// TestRound1RulesUnchanged pins the rules id of Round 1: a program
// without the AI keys must keep the id it had before they existed (the
// id report/testdata/results.md names).
func TestRound1RulesUnchanged(t *testing.T) {
	p := mustParse(t, round1(t))
	id, err := p.RulesID(1)
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("../report/testdata/results.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(golden), "rules `"+id+"`") {
		t.Fatalf("round 1's rules id %s is not the one the results golden file names", id)
	}
}

// TestAINotice: the notice rule covers the AI keys as any other.
func TestAINotice(t *testing.T) {
	text := aiText(t)
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ name, from, to string }{
		{"JobType", `{min_score: 3, regions: any}`, `{job_type: ai, min_score: 3, regions: any}`},
		{"Pipeline", `pipeline: upscale, model: stabilityai/stable-diffusion-x4-upscaler`, `pipeline: image-to-image, model: stabilityai/stable-diffusion-x4-upscaler`},
		{"Model", `model: stabilityai/stable-diffusion-x4-upscaler`, `model: other/upscaler`},
		{"Per", `top: 3, per: pipeline`, `top: 3, per: pipeline, pipeline: llm`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := strings.Replace(text, tc.from, tc.to, 1)
			if next == text {
				t.Fatal("the change did not apply")
			}
			prev, np := mustParse(t, text), mustParse(t, next)
			if err := program.CheckPublish(prev, np, start.Add(-47*time.Hour)); podium.ErrorCode(err) != podium.ECONFLICT {
				t.Fatalf("a change of %s 47h before the start: %v, want refused", tc.name, err)
			}
			if err := program.CheckPublish(prev, np, start.Add(-49*time.Hour)); err != nil {
				t.Fatalf("a change of %s 49h before the start: %v", tc.name, err)
			}
		})
	}
}
