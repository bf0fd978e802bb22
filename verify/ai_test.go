package verify_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/score"
	"github.com/podiumhq/podium/snapshot"
	"github.com/podiumhq/podium/verify"
)

const upscaler = round1.Upscaler

func aiPublished(t *testing.T) (*podium.Program, []podium.Stats, []byte, []byte) {
	t.Helper()
	p, _, err := program.Load("../program/testdata/ai.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Round(1)
	recs := round1.AIRecords(r.Snapshot.At)
	aggs, in := round1.Window(recs, r.Snapshot.At, r.Snapshot.Window)
	s, err := snapshot.Build(p, 1, r.Snapshot.At, r.Snapshot.Window, aggs, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	sb, _ := s.Canonical()
	out, err := rules.Compute(p, 1, s)
	if err != nil {
		t.Fatal(err)
	}
	return p, recs, sb, canonical(t, &out.Distribution)
}

func TestAIRound(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		p, recs, sb, db := aiPublished(t)
		res, err := verify.Round(p, 1, sb, db)
		if err != nil || !res.OK() {
			t.Fatalf("%v %v", err, res.Differences)
		}
		if err := verify.Records(res, sb, recs); err != nil || !res.OK() {
			t.Fatalf("transcoding records: %v %v", err, res.Differences)
		}
		if err := verify.AIRecords(res, p, 1, sb, recs); err != nil || !res.OK() {
			t.Fatalf("AI records: %v %v", err, res.Differences)
		}
		d, _ := podium.ParseDistribution(db)
		if !strings.Contains(podium.FormatAwards(d.Recipients[0].Awards), "upscale-top1:upscale/"+upscaler+"@") {
			t.Fatalf("no AI award: %+v", d.Recipients)
		}
	})
	t.Run("ForgedMedian", func(t *testing.T) {
		// A consistent forgery: a lower median raises every score and the
		// distribution recomputed from the forged file agrees with it; only
		// the raw records show the median is not theirs.
		p, recs, sb, _ := aiPublished(t)
		s, _ := podium.ParseSnapshot(sb)
		s.AI.Medians[0].Median /= 2
		for i := range s.AI.Aggregates {
			e := &s.AI.Aggregates[i]
			m, ok := s.AI.Median(e.Pipeline, e.Model, e.Region)
			e.Score = scoreAI(e.AIAggregate, m, ok)
		}
		forged, _ := s.Canonical()
		out, err := rules.Compute(p, 1, s)
		if err != nil {
			t.Fatal(err)
		}
		res, err := verify.Round(p, 1, forged, canonical(t, &out.Distribution))
		if err != nil || !res.OK() {
			t.Fatalf("a consistent forgery is not consistent: %v %v", err, res.Differences)
		}
		if err := verify.AIRecords(res, p, 1, forged, recs); err != nil {
			t.Fatal(err)
		}
		if len(res.Differences) != 1 || !strings.HasPrefix(res.Differences[0].Field, "snapshot.ai.medians[") {
			t.Fatalf("differences %v, want the forged median", res.Differences)
		}
	})
	t.Run("HiddenRecord", func(t *testing.T) {
		p, recs, sb, db := aiPublished(t)
		r, _ := p.Round(1)
		extra := podium.Stats{Orchestrator: fmt.Sprintf("0x%040x", 9), Region: "FRA", Timestamp: r.Snapshot.At.Unix() - 60,
			SuccessRate: 1, RoundTripTime: 9, Pipeline: "upscale", Model: upscaler, TestID: "hidden"}
		res, err := verify.Round(p, 1, sb, db)
		if err != nil {
			t.Fatal(err)
		}
		if err := verify.AIRecords(res, p, 1, sb, append(recs, extra)); err != nil {
			t.Fatal(err)
		}
		var fields []string
		for _, d := range res.Differences {
			fields = append(fields, d.Field)
		}
		want := "snapshot.ai.records.count snapshot.ai.records.digest snapshot.ai.aggregates[upscale/" + upscaler + "/" + extra.Orchestrator + "/FRA] snapshot.ai.medians[upscale/" + upscaler + "/FRA]"
		if got := strings.Join(fields, " "); got != want {
			t.Fatalf("differences\n got %s\nwant %s", got, want)
		}
	})
	t.Run("AIPartRemoved", func(t *testing.T) {
		p, _, sb, _ := aiPublished(t)
		s, _ := podium.ParseSnapshot(sb)
		s.AI = nil
		stripped, _ := s.Canonical()
		out, err := rules.Compute(p, 1, s)
		if err != nil {
			t.Fatal(err)
		}
		res, err := verify.Round(p, 1, stripped, canonical(t, &out.Distribution))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Differences) != 1 || res.Differences[0].Field != "snapshot.ai" {
			t.Fatalf("differences %v, want snapshot.ai", res.Differences)
		}
	})
}

func scoreAI(a podium.AIAggregate, median float64, ok bool) podium.Score {
	return score.OfAIAggregate(a, median, ok)
}
