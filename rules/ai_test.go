package rules_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
)

// aiRec is one AI test an hour before the snapshot.
func aiRec(a byte, region, pipeline, model string, success, rtt float64) podium.Stats {
	s := rec(a, region, success, rtt)
	s.SegDuration, s.VerifiedRenditions = 0, 0
	s.Pipeline, s.Model = pipeline, model
	s.TestID = fmt.Sprintf("ai-%s-%s-%s-%s", addr(a), region, pipeline, model)
	return s
}

const aiPools = `      - name: qualified
        amount: "10"
        split: equal
        eligible: {min_score: 3}
      - name: ai-all
        amount: "90"
        split: equal
        eligible: {job_type: ai, min_score: 7}
      - name: top1-per-pipeline
        amount: "100"
        per_recipient: "10"
        eligible: {job_type: ai, min_score: 9, top: 1, per: pipeline}
      - name: upscale-region
        per_recipient: "5"
        eligible: {job_type: ai, pipeline: upscale, model: m1, top: 2, per: region}
      - name: everywhere
        amount: "10"
        split: equal
        eligible: {job_type: ai, min_score: 5, regions: all}
`

// aiRecords: upscale/m1 in AAA has round trips 1, 2, 2 (excluded), 3, so
// its median is 2; llm/m2 in BBB has median 1 (the half-successful test is
// not in it); t2i/m3 has two equal scores; upscale/m1 in BBB has one test.
func aiRecords() []podium.Stats {
	return []podium.Stats{
		rec(1, "AAA", 1, 2), // transcoding: 6.32
		aiRec(1, "AAA", "upscale", "m1", 1, 1),
		aiRec(2, "AAA", "upscale", "m1", 1, 2),
		aiRec(3, "AAA", "upscale", "m1", 1, 3),
		aiRec(0xee, "AAA", "upscale", "m1", 1, 2),
		aiRec(1, "BBB", "upscale", "m1", 1, 2),
		aiRec(4, "BBB", "llm", "m2", 1, 1),
		aiRec(5, "BBB", "llm", "m2", 0.5, 1),
		aiRec(6, "AAA", "t2i", "m3", 1, 1),
		aiRec(7, "AAA", "t2i", "m3", 1, 1),
	}
}

func TestCompute_AIPools(t *testing.T) {
	p := kindsProgram(t, "230", aiPools)
	s := snap(t, p, 1, aiRecords(), nil)
	if s.AI == nil || s.AI.Records.Count != 9 || len(s.AI.Medians) != 4 {
		t.Fatalf("AI part of the snapshot: %+v", s.AI)
	}
	if m, ok := s.AI.Median("upscale", "m1", "AAA"); !ok || m != 2 {
		t.Fatalf("median of upscale/m1 in AAA %v %v, want 2", m, ok)
	}
	out, err := rules.Compute(p, 1, s)
	if err != nil {
		t.Fatal(err)
	}
	// ai-all: 1, 2, 3, 4, 6, 7 (5 scores 6.05, ee is excluded): 15 each.
	// top1-per-pipeline: llm 4, t2i 6 (ties with 7, lower address), upscale 1.
	// upscale-region: AAA 1, 2 (ee excluded); BBB 1. everywhere: 1 only.
	want := "01=55 02=20 03=15 04=25 06=25 07=15 total=155 left=75"
	if got := amounts(out.Distribution); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	var one []podium.Award
	for _, r := range out.Distribution.Recipients {
		if r.Address == addr(1) {
			one = r.Awards
		}
	}
	wantAwards := "qualified=10;ai-all:upscale/m1@AAA=15;top1-per-pipeline:upscale/m1@AAA#1=10;" +
		"upscale-region:upscale/m1@AAA#1=5;upscale-region:upscale/m1@BBB#1=5;everywhere:upscale/m1@BBB=10"
	if got := podium.FormatAwards(one); got != wantAwards {
		t.Fatalf("awards of 01\n got %s\nwant %s", got, wantAwards)
	}
	// The scores are the leaderboard's: 0.65 × success + 0.35 × e^(−k·rtt).
	b := rules.NewBoard(p, &p.Rounds[0], s)
	got, _ := b.AIScore(addr(3), rules.AICell{Pipeline: "upscale", Model: "m1", Region: "AAA"})
	k := -math.Log(0.8) / 2
	if w := 0.65 + 0.35*math.Exp(-k*3); math.Abs(got.Total-w) > 1e-12 {
		t.Fatalf("score of 03: %v, want %v", got.Total, w)
	}
}

func TestCompute_AIDeterministic(t *testing.T) {
	p := kindsProgram(t, "230", aiPools)
	recs := aiRecords()
	a, err := rules.Compute(p, 1, snap(t, p, 1, recs, nil))
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i]
	}
	b, err := rules.Compute(p, 1, snap(t, p, 1, recs, nil))
	if err != nil {
		t.Fatal(err)
	}
	ia, _ := a.Distribution.ID()
	ib, _ := b.Distribution.ID()
	if ia != ib {
		t.Fatal("the distribution depends on the order of the records")
	}
}

// TestSnapshot_NoAIPoolsNoAIPart: a round without AI pools freezes no AI
// part, whatever AI records the window holds, so its snapshot is what it
// was before AI pools existed.
func TestSnapshot_NoAIPoolsNoAIPart(t *testing.T) {
	p := kindsProgram(t, "10", "      - {name: qualified, amount: \"10\", split: equal, eligible: {min_score: 3}}\n")
	s := snap(t, p, 1, aiRecords(), nil)
	b, _ := s.Canonical()
	if s.AI != nil || strings.Contains(string(b), `"ai"`) || s.Records.Count != 1 {
		t.Fatalf("a transcoding round's snapshot has an AI part or counts AI records:\n%s", b)
	}
}
