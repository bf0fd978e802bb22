package snapshot_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/snapshot"
	"github.com/podiumhq/podium/store/sqlite"
)

// TestRound1 is the acceptance test of docs/design.md §5.3: the program text's Round
// 1 exactly as the design writes it, a week of records in a real SQLite
// store, and every recipient and amount of the result.
func TestRound1(t *testing.T) {
	ctx := context.Background()
	p, _, err := program.Load("../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs := round1.Records()
	if n, err := db.AddStats(ctx, recs); err != nil || n != len(recs) {
		t.Fatalf("added %d of %d: %v", n, len(recs), err)
	}
	regPath := filepath.Join(dir, "registry.csv")
	if err := os.WriteFile(regPath, []byte(round1.Registry), 0o644); err != nil {
		t.Fatal(err)
	}
	reg := &registry.File{Path: regPath}

	// Taking it twice gives the same bytes.
	s1, err := snapshot.Take(ctx, db, reg, p, 1)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := snapshot.Take(ctx, db, reg, p, 1)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := s1.Canonical()
	b2, _ := s2.Canonical()
	if string(b1) != string(b2) {
		t.Fatal("two snapshots of the same data differ")
	}
	// Read from the store an hour at a time, it is the snapshot of the
	// records themselves.
	orchs, _ := reg.Orchestrators(ctx)
	aggs, in := round1.Window(recs, round1.At, 168*time.Hour)
	direct, err := snapshot.Build(p, 1, round1.At, 168*time.Hour, aggs, in, orchs)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := direct.Canonical(); string(b) != string(b1) {
		t.Fatal("the snapshot taken from the store differs from the one built from the records")
	}
	// 21 orchestrator-region pairs × 168 hourly tests; the 400 tests just
	// outside the window are not covered.
	if s1.Records.Count != 21*168 || len(s1.Aggregates) != 21 {
		t.Fatalf("snapshot covers %d records in %d aggregates", s1.Records.Count, len(s1.Aggregates))
	}
	if s1.Name(round1.Vires) != "vires-in-numeris" || s1.Name(round1.Steady) != round1.Steady {
		t.Fatalf("registry %+v", s1.Registry)
	}

	// Before its time the snapshot is refused; at its time it is stored.
	freezer := &snapshot.Freezer{Stats: db, Programs: db, Registry: reg}
	if _, err := freezer.Freeze(ctx, p, 1, round1.At.Add(-time.Minute)); podium.ErrorCode(err) != podium.ECONFLICT {
		t.Fatalf("early snapshot: %v", err)
	}
	stored, err := freezer.Freeze(ctx, p, 1, round1.At.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if string(stored.Body) != string(b1) || stored.ID != podium.ContentID(b1) {
		t.Fatal("the stored snapshot is not the one taken")
	}
	s, err := podium.ParseSnapshot(stored.Body)
	if err != nil {
		t.Fatal(err)
	}
	out, err := rules.Compute(p, 1, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := round1.Describe(out.Distribution); got != round1.Want {
		t.Fatalf("distribution\n got:\n%s\nwant:\n%s", got, round1.Want)
	}
	if out.Distribution.SnapshotID != stored.ID {
		t.Fatalf("distribution names snapshot %s, stored %s", out.Distribution.SnapshotID, stored.ID)
	}
	for _, r := range out.Distribution.Recipients {
		if r.Address == round1.LivepeerInc || r.Address == round1.Failed || r.Address == round1.JustUnder ||
			r.Address == round1.OutsideOnly || r.Address == round1.NeverChecked {
			t.Fatalf("%s must receive nothing", r.Address)
		}
	}

	// Records that arrive later — a backfill inside the window that would
	// make JustUnder qualify — never change the stored snapshot.
	late := []podium.Stats{}
	for h := 0; h < 168; h++ {
		late = append(late, podium.Stats{Region: "SIN", Orchestrator: round1.JustUnder, Timestamp: round1.Since.Add(time.Duration(h)*time.Hour + 30*time.Minute).Unix(),
			SegmentsSent: 15, SegmentsReceived: 45, SuccessRate: 1, SegDuration: 2, RoundTripTime: 0.5, VerifiedRenditions: 45, TestID: "late-" + time.Duration(h).String()})
	}
	if _, err := db.AddStats(ctx, late); err != nil {
		t.Fatal(err)
	}
	again, err := freezer.Freeze(ctx, p, 1, round1.At.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != stored.ID || string(again.Body) != string(stored.Body) {
		t.Fatal("the stored snapshot changed after late records")
	}
	if fresh, _ := snapshot.Take(ctx, db, reg, p, 1); fresh.Records.Count == s.Records.Count {
		t.Fatal("the late records did not land in the window; the test proves nothing")
	}
}
