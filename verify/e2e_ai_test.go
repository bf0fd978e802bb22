package verify_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/snapshot"
	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/verify"
)

// aiBackend is what the end-to-end test needs of a store.
type aiBackend interface {
	podium.StatsStore
	podium.AIStore
}

// TestAIEndToEnd: a program with transcoding pools and AI pools over
// records of both kinds in a real store (SQLite and PostgreSQL): the
// snapshot taken from the store is byte for byte the one the raw records
// give, and the rewards, the results report and verify agree with it.
func TestAIEndToEnd(t *testing.T) {
	ctx := context.Background()
	stores := map[string]func(t *testing.T) aiBackend{
		"SQLite": func(t *testing.T) aiBackend {
			db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "podium.db"), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		"PostgreSQL": func(t *testing.T) aiBackend {
			db, err := postgres.Open(ctx, storetest.FreshSchema(t, storetest.PostgresDSN(t)), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
	}
	for _, name := range []string{"SQLite", "PostgreSQL"} {
		t.Run(name, func(t *testing.T) {
			db := stores[name](t)
			p, _, err := program.Load("../program/testdata/ai.yaml")
			if err != nil {
				t.Fatal(err)
			}
			r, _ := p.Round(1)
			recs := round1.AIRecords(r.Snapshot.At)
			if n, err := db.AddStats(ctx, recs); err != nil || n != len(recs) {
				t.Fatalf("added %d of %d: %v", n, len(recs), err)
			}
			s, err := snapshot.Take(ctx, db, nil, p, 1)
			if err != nil {
				t.Fatal(err)
			}
			sb, _ := s.Canonical()
			aggs, in := round1.Window(recs, r.Snapshot.At, r.Snapshot.Window)
			direct, err := snapshot.Build(p, 1, r.Snapshot.At, r.Snapshot.Window, aggs, in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if db, _ := direct.Canonical(); string(db) != string(sb) {
				t.Fatalf("the store's snapshot differs from the raw records'\nstore:\n%s\nraw:\n%s", sb, db)
			}
			if s.AI == nil || s.AI.Records.Count != 36 || s.Records.Count != 12 {
				t.Fatalf("snapshot counts: %d transcoding, AI %+v", s.Records.Count, s.AI)
			}

			out, err := rules.Compute(p, 1, s)
			if err != nil {
				t.Fatal(err)
			}
			paid := map[string]string{}
			for _, pr := range out.Pools {
				paid[pr.Name] = pr.Paid.String()
			}
			// qualified: 4 transcoding orchestrators share 2000; the
			// upscale-top1 pool pays 1000 in each of MDW and FRA.
			if paid["qualified"] != "2000000000000000000000" || paid["upscale-top1"] != "2000000000000000000000" {
				t.Fatalf("pools paid %v", paid)
			}
			db2, _ := out.Distribution.Canonical()

			rep, err := report.Build(report.Input{Kind: report.Results, Program: p, Round: 1, Snapshot: s})
			if err != nil {
				t.Fatal(err)
			}
			md := string(rep.Markdown())
			for _, want := range []string{"## AI pool upscale-top1", "| 1 | " + s.Name("0x0000000000000000000000000000000000000001") + " | upscale | " + upscaler + " | FRA |",
				"## AI pool ai-top3-per-pipeline", "| 1 | 0x0000000000000000000000000000000000000001 | llm |"} {
				if !strings.Contains(md, want) {
					t.Fatalf("the report lacks %q:\n%s", want, md)
				}
			}

			res, err := verify.Round(p, 1, sb, db2)
			if err != nil || !res.OK() {
				t.Fatalf("verify: %v %v", err, res.Differences)
			}
			// Recomputed from the records as the store answers them.
			q := podium.StatsQuery{Since: s.Since, Until: s.Until}
			raw, err := db.RawStats(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			q.JobType = podium.JobAI
			rawAI, err := db.AIRawStats(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			all := append(raw, rawAI...)
			if err := verify.Records(res, sb, all); err != nil {
				t.Fatal(err)
			}
			if err := verify.AIRecords(res, p, 1, sb, all); err != nil || !res.OK() {
				t.Fatalf("verify from the records: %v %v", err, res.Differences)
			}
		})
	}
}
