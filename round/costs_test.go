package round_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/store/sqlite"
)

// TestService_RoundCosts: a round says what its paid tests cost per region,
// counting the tests in [Start, End) only.
func TestService_RoundCosts(t *testing.T) {
	ctx := context.Background()
	p, text, err := program.Load("../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r1 := p.Rounds[0]
	svc := &round.Service{Program: p, Text: text, Stats: db, Now: func() time.Time { return r1.End }}
	var recs []podium.Stats
	add := func(id, region string, ts time.Time, cost *podium.StatsCost) {
		recs = append(recs, podium.Stats{Region: region, Orchestrator: "0x1111111111111111111111111111111111111111",
			Timestamp: ts.Unix(), SegmentsSent: 1, Errors: []podium.StatsError{}, TestID: strings.ReplaceAll(id, " ", "-"), Cost: cost})
	}
	add("before", "FRA", r1.Start.Add(-time.Second), &podium.StatsCost{Tickets: 9, FaceValue: "100", ExpectedValue: "900"})
	add("first", "FRA", r1.Start, &podium.StatsCost{Tickets: 2, FaceValue: "100", ExpectedValue: "3/2"})
	add("fra", "FRA", r1.Start.Add(time.Hour), &podium.StatsCost{Tickets: 1, FaceValue: "100", ExpectedValue: "1/2"})
	add("mdw", "MDW", r1.End.Add(-time.Second), &podium.StatsCost{Tickets: 1, FaceValue: "50", ExpectedValue: "7"})
	add("unpaid", "MDW", r1.Start.Add(time.Hour), nil)
	add("at end", "MDW", r1.End, &podium.StatsCost{Tickets: 9, FaceValue: "100", ExpectedValue: "900"})
	if _, err := db.AddStats(ctx, recs); err != nil {
		t.Fatal(err)
	}
	rd, err := svc.Round(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Costs) != 2 || rd.Costs[0].Region != "FRA" || rd.Costs[0].Tests != 2 || rd.Costs[0].ExpectedValue.RatString() != "2" ||
		rd.Costs[1].Region != "MDW" || rd.Costs[1].Tests != 1 || rd.Costs[1].FaceValue.String() != "50" {
		t.Fatalf("round costs per region: %+v", rd.Costs)
	}
	if rd.Cost.Tests != 3 || rd.Cost.Tickets != 4 || rd.Cost.ExpectedValue.RatString() != "9" || rd.Cost.FaceValue.String() != "350" {
		t.Fatalf("round cost in all: %+v", rd.Cost)
	}
}
