package ui_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/snapshot"
	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web/ui"
)

// testNow is the clock of every test: pages and seeds agree on "now".
var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// character is how a seeded orchestrator behaves.
type character struct {
	Addr, Name string
	Regions    []string
	RTT        float64 // seconds for a 2 s segment, before the region's extra
	Success    float64
	Errors     []podium.StatsError
	Failures   int           // verification failures per test
	Oldest     time.Duration // tests from now-Oldest ...
	Newest     time.Duration // ... to now-Newest
	Gaps       bool          // no tests in every other 6-hour block
}

// characters are the seeded orchestrators; the last is registry-only.
var characters = []character{
	{Addr: addr(1), Name: "fast.eth", Regions: []string{"MDW", "FRA", "SIN"}, RTT: 1.0, Success: 1, Oldest: 8 * 24 * time.Hour},
	{Addr: addr(2), Name: "realtime.eth", Regions: []string{"MDW", "FRA", "SIN"}, RTT: 2.0, Success: 0.9, Oldest: 8 * 24 * time.Hour},
	{Addr: addr(3), Regions: []string{"MDW", "FRA", "SIN"}, RTT: 4.0, Success: 0.7, Oldest: 8 * 24 * time.Hour,
		Errors: []podium.StatsError{{ErrorCode: "Timeout", Message: "segment 3: no answer in 8s", Count: 2}}},
	{Addr: addr(4), Name: "frankfurt-only", Regions: []string{"FRA"}, RTT: 1.2, Success: 1, Oldest: 8 * 24 * time.Hour, Gaps: true},
	{Addr: addr(5), Name: "cheater", Regions: []string{"MDW", "FRA", "SIN"}, RTT: 0.8, Success: 0, Failures: 45, Oldest: 8 * 24 * time.Hour,
		Errors: []podium.StatsError{{ErrorCode: "VerificationFailed", Message: "rendition P360p30fps16x9: frame counter 0 expected 17", Count: 45}}},
	{Addr: addr(6), Name: "capped", Regions: []string{"MDW", "SIN"}, RTT: 1.5, Success: 0.5, Oldest: 8 * 24 * time.Hour,
		Errors: []podium.StatsError{{ErrorCode: "OrchestratorCapped", Message: "orchestrator at capacity", Count: 7}}},
	{Addr: addr(7), Name: "went-dark", Regions: []string{"MDW", "FRA"}, RTT: 1.1, Success: 1, Oldest: 6 * 24 * time.Hour, Newest: 2 * 24 * time.Hour},
	{Addr: addr(8), Name: "registered-never-tested"},
}

func addr(n int) string { return fmt.Sprintf("0x%040x", 0xab0000+n) }

var regionExtra = map[string]float64{"MDW": 0, "FRA": 0.2, "SIN": 0.5}

// seedRecords returns one test per hour per region for each character,
// up to testNow.
func seedRecords() []podium.Stats { return seedRecordsAt(testNow) }

// seedRecordsAt returns the seeded tests as they stand at now: the same
// tests shifted by now - testNow, which should be whole days so that the
// hours of the day, and with them the wobble and the gaps, stay as seeded.
func seedRecordsAt(now time.Time) []podium.Stats {
	var recs []podium.Stats
	for _, c := range characters {
		for _, reg := range c.Regions {
			for t := now.Add(-c.Oldest).Truncate(time.Hour); t.Before(now.Add(-c.Newest)); t = t.Add(time.Hour) {
				if c.Gaps && (t.Hour()/6)%2 == 1 {
					continue
				}
				wobble := float64(t.Hour()%5) * 0.05
				rtt := c.RTT + regionExtra[reg] + wobble
				s := podium.Stats{
					Region: reg, Orchestrator: c.Addr, Timestamp: t.Add(7 * time.Minute).Unix(),
					SegmentsSent: 15, SegmentsReceived: int(c.Success*45 + 0.5), SuccessRate: c.Success,
					SegDuration: 2.0, UploadTime: rtt * 0.3, TranscodeTime: rtt * 0.4, DownloadTime: rtt * 0.3, RoundTripTime: rtt,
					Errors: c.Errors, TestID: fmt.Sprintf("%s-%s-%d", c.Addr[36:], reg, t.Unix()),
					VerifiedRenditions: int(c.Success*45 + 0.5), VerificationFailures: c.Failures,
				}
				if c.Success == 0 {
					s.RoundTripTime, s.UploadTime, s.TranscodeTime, s.DownloadTime = 0, 0, 0, 0
				}
				recs = append(recs, s)
			}
		}
	}
	return recs
}

// registry is the seeded registry: every character with its name.
type registry []podium.Orchestrator

func (r registry) Orchestrators(ctx context.Context) ([]podium.Orchestrator, error) { return r, nil }

func seedRegistry() registry {
	var r registry
	for _, c := range characters {
		r = append(r, podium.Orchestrator{Address: c.Addr, Name: c.Name, ServiceURI: "https://" + c.Addr[36:] + ".example:8935", Active: true})
	}
	return r
}

// backend is a database holding stats and program data: SQLite or
// PostgreSQL.
type backend interface {
	podium.StatsStore
	podium.ProgramStore
}

// newStore returns a fresh SQLite store holding the seeded records.
func newStore(t *testing.T) backend {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seedStore(t, st)
	return st
}

// newPostgresStore returns a fresh PostgreSQL schema holding the seeded
// records; skipped without $PODIUM_TEST_POSTGRES_DSN (failed in CI).
func newPostgresStore(t *testing.T) backend {
	t.Helper()
	st, err := postgres.Open(context.Background(), storetest.FreshSchema(t, storetest.PostgresDSN(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seedStore(t, st)
	return st
}

func seedStore(t *testing.T, st podium.StatsStore) {
	t.Helper()
	recs := seedRecords()
	for i := range recs {
		if err := recs[i].Normalize(podium.NewRegionSet(podium.DefaultRegions()), testNow); err != nil {
			t.Fatalf("seed record %d: %v", i, err)
		}
	}
	if _, err := st.AddStats(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
}

// seedPayouts plans round 1's distribution as `podium payout plan` does
// (one transfer a recipient) into a directory, and journals its execution as
// `podium payout execute` does: every transfer signed and sent, all but the
// last confirmed. It returns the payouts read back from those files.
func seedPayouts(t *testing.T, rounds *round.Service) *ui.PlanPayouts {
	t.Helper()
	rd, err := rounds.Round(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plan := &payout.Plan{Version: payout.PlanVersion, Distribution: rd.Distribution.ID, Program: rd.Distribution.Program, Round: 1,
		ChainID: 42161, Token: "0x289ba1701c2f088cf0faf8b3705246331cb8a839", Symbol: "LPT", Decimals: 18,
		Sender: "0x00000000000000000000000000000000000a0001", Method: payout.MethodTransfer, Total: rd.Distribution.Total}
	for i, r := range rd.Distribution.Recipients {
		plan.Payments = append(plan.Payments, payout.Payment{Index: i, Recipient: r.Address, To: r.Payee(), Amount: r.Amount})
		plan.Steps = append(plan.Steps, payout.Step{Index: i, Kind: payout.KindTransfer, To: plan.Token, Gas: 60000, Payments: []int{i}})
	}
	plan.Hash = plan.ComputeHash()
	path := filepath.Join(dir, "round-1-plan.json")
	if err := plan.Save(path); err != nil {
		t.Fatal(err)
	}
	// A distribution next to the plan is not taken for one.
	if err := os.WriteFile(filepath.Join(dir, "distribution.json"), rd.Distribution.JSON, 0o644); err != nil {
		t.Fatal(err)
	}
	j, err := payout.OpenJournal(payout.JournalPath(path), plan.Hash, frozenAt)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for i := range plan.Steps {
		rec := signedRecord(t, i, uint64(i), 1)
		rec.At = frozenAt
		if err := j.Append(rec); err != nil {
			t.Fatal(err)
		}
		if i < len(plan.Steps)-1 {
			rec.Kind, rec.Status, rec.Block = payout.RecordMined, 1, uint64(100+i)
			if err := j.Append(rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	return &ui.PlanPayouts{Dir: dir, Program: plan.Program}
}

// Times of the seeded program's history.
var (
	publishedV1 = time.Date(2026, 11, 13, 12, 0, 0, 0, time.UTC) // before round 1
	publishedV2 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) // round 3 changed, 5 days ahead
	frozenAt    = time.Date(2026, 11, 20, 12, 5, 0, 0, time.UTC) // round 1's snapshot taken
)

// lateRecord is a test inside round 1's window that arrives after its
// snapshot was frozen: it must change nothing about round 1.
var lateRecord = podium.Stats{Region: "SIN", Orchestrator: addr(3), Timestamp: time.Date(2026, 11, 19, 0, 30, 0, 0, time.UTC).Unix(),
	SegmentsSent: 15, SegmentsReceived: 45, SuccessRate: 1, SegDuration: 2, RoundTripTime: 0.5, TestID: "late-1", VerifiedRenditions: 45}

// seedProgram publishes testdata/program.yaml, then its version 2, as
// `podium program publish` does, freezes round 1's snapshot, and then
// stores a late record in round 1's window.
func seedProgram(t *testing.T, st backend) *podium.Program {
	t.Helper()
	ctx := context.Background()
	var prev, p *podium.Program
	for i, v := range []struct {
		file string
		at   time.Time
	}{{"testdata/program.yaml", publishedV1}, {"testdata/program-v2.yaml", publishedV2}} {
		next, text, err := program.Load(v.file)
		if err != nil {
			t.Fatal(err)
		}
		if err := program.CheckPublish(prev, next, v.at); err != nil {
			t.Fatalf("publish %s: %v", v.file, err)
		}
		if _, err := st.PublishProgram(ctx, podium.ProgramVersion{Program: next.Name, Version: i + 1, Hash: podium.ContentID(text), PublishedAt: v.at, Text: text}); err != nil {
			t.Fatal(err)
		}
		prev, p = next, next
	}
	if _, err := (&snapshot.Freezer{Stats: st, Programs: st, Registry: seedRegistry()}).Freeze(ctx, p, 1, frozenAt); err != nil {
		t.Fatal(err)
	}
	if n, err := st.AddStats(ctx, []podium.Stats{lateRecord}); err != nil || n != 1 {
		t.Fatalf("add the late record: %d, %v", n, err)
	}
	return p
}
