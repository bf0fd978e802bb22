package report_test

import (
	"strings"
	"testing"

	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/snapshot"
)

// TestReport_AIPools: the results of a round with AI pools list each AI
// pool with its rule and winners (pipeline, model, region, AI score), and
// keep the AI awards out of the transcoding lists.
func TestReport_AIPools(t *testing.T) {
	p, _, err := program.Load("../program/testdata/ai.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Round(1)
	aggs, in := round1.Window(round1.AIRecords(r.Snapshot.At), r.Snapshot.At, r.Snapshot.Window)
	s, err := snapshot.Build(p, 1, r.Snapshot.At, r.Snapshot.Window, aggs, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.Build(report.Input{Kind: report.Results, Program: p, Round: 1, Snapshot: s})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.AIPools) != 3 {
		t.Fatalf("%d AI pools, want 3", len(rep.AIPools))
	}
	for _, reg := range rep.Regions {
		if len(reg.Winners) != 0 {
			t.Fatalf("AI awards listed as %s's regional winners: %+v", reg.ID, reg.Winners)
		}
	}
	md := rep.Markdown()
	golden(t, "ai-results.md", md)
	page, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "<h2>AI pool upscale-top1</h2>") {
		t.Fatal("the HTML page lacks the AI pools")
	}
}
