package round_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/store/sqlite"
)

// TestService_Projection: a projection asked for after the snapshot time
// is the one at the snapshot time, since later records never count; so a
// record after it changes nothing.
func TestService_Projection(t *testing.T) {
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
	at := p.Rounds[0].Snapshot.At
	now := at.Add(3 * time.Hour)
	svc := &round.Service{Program: p, Text: text, Stats: db, Now: func() time.Time { return now }}
	add := func(addr string, ts time.Time) {
		t.Helper()
		s := podium.Stats{Region: "FRA", Orchestrator: addr, Timestamp: ts.Unix(), SegmentsSent: 15, SegmentsReceived: 45,
			SuccessRate: 1, SegDuration: 2, RoundTripTime: 0.5, VerifiedRenditions: 45, Errors: []podium.StatsError{}, TestID: addr + ts.String()}
		if _, err := db.AddStats(ctx, []podium.Stats{s}); err != nil {
			t.Fatal(err)
		}
	}
	add("0x1111111111111111111111111111111111111111", at.Add(-time.Hour))
	add("0x2222222222222222222222222222222222222222", at.Add(time.Hour)) // after the snapshot time
	proj, err := svc.Projection(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !proj.At.Equal(at) || len(proj.Distribution.Recipients) != 1 {
		t.Fatalf("projection at %s with %d recipients; want at the snapshot time %s with the one record before it", proj.At, len(proj.Distribution.Recipients), at)
	}
	rd, err := svc.Round(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if rd.Phase != round.Ended || rd.Snapshot == nil || rd.Snapshot.Stored || rd.Distribution == nil {
		t.Fatalf("round 1 after its snapshot time, none frozen: phase %s, snapshot %v", rd.Phase, rd.Snapshot)
	}
	if _, err := svc.Projection(ctx, 9); podium.ErrorCode(err) != podium.ENOTFOUND {
		t.Errorf("projection of a round the program lacks: %v", err)
	}
}
