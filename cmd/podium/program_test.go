package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/score"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/store/storetest"
)

// run runs podium with args at time now and returns its stdout.
func run(t *testing.T, now time.Time, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
		Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err := m.Run(context.Background(), args)
	return out.String(), err
}

func mustRun(t *testing.T, now time.Time, args ...string) string {
	t.Helper()
	out, err := run(t, now, args...)
	if err != nil {
		t.Fatalf("podium %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// round1DB fills the database dsn with the Round 1 test week.
func round1DB(t *testing.T, dsn string) string {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddStats(context.Background(), round1.Records()); err != nil {
		t.Fatal(err)
	}
	return dsn
}

func write(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const round1File = "../../program/testdata/round1.yaml"

// TestProgramCommands runs a whole round through the commands, on SQLite
// and (when a DSN is given) on PostgreSQL.
func TestProgramCommands(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testProgramCommands(t, filepath.Join(t.TempDir(), "podium.db"))
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		testProgramCommands(t, storetest.FreshSchema(t, storetest.PostgresDSN(t)))
	})
}

func testProgramCommands(t *testing.T, dsn string) {
	dir := t.TempDir()
	round1DB(t, dsn)
	reg := write(t, filepath.Join(dir, "registry.csv"), round1.Registry)
	start := time.Date(2020, 12, 14, 15, 0, 0, 0, time.UTC)

	t.Run("OKPublishAndShow", func(t *testing.T) {
		text, _ := os.ReadFile(round1File)
		v1 := write(t, filepath.Join(dir, "v1.yaml"), string(text))
		out := mustRun(t, start.Add(-72*time.Hour), "program", "publish", "--program", v1, "--db", dsn)
		if !strings.Contains(out, "published mvp-performance-incentive version 1 at 2020-12-11T15:00:00Z") {
			t.Fatalf("publish: %s", out)
		}
		v2 := write(t, filepath.Join(dir, "v2.yaml"), strings.Replace(string(text), `amount: "4000"`, `amount: "3000"`, 1))
		mustRun(t, start.Add(-49*time.Hour), "program", "publish", "--program", v2, "--db", dsn)
		v3 := write(t, filepath.Join(dir, "v3.yaml"), string(text))
		_, err := run(t, start.Add(-time.Hour), "program", "publish", "--program", v3, "--db", dsn)
		if podium.ErrorCode(err) != podium.ECONFLICT || !strings.Contains(err.Error(), "at least 48h0m0s before it starts") {
			t.Fatalf("late change: %v", err)
		}
		out = mustRun(t, start, "program", "show", "--program", v1, "--db", dsn)
		for _, want := range []string{"version 1  published 2020-12-11T15:00:00Z", "version 2  published 2020-12-12T14:00:00Z",
			"rules changed: round 1", `-              amount: "4000"`, `+  21          amount: "3000"`} {
			if !strings.Contains(out, want) {
				t.Fatalf("show lacks %q:\n%s", want, out)
			}
		}
	})

	snap := filepath.Join(dir, "snapshot.json")
	t.Run("ErrSnapshotEarly", func(t *testing.T) {
		_, err := run(t, round1.At.Add(-time.Hour), "snapshot", "--program", round1File, "--round", "1", "--db", dsn, "--out", snap)
		if podium.ErrorCode(err) != podium.ECONFLICT {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrSnapshotEmpty", func(t *testing.T) {
		empty := filepath.Join(t.TempDir(), "empty.db")
		_, err := run(t, round1.At, "snapshot", "--program", round1File, "--round", "1", "--db", empty)
		if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorHint(err) == "" {
			t.Fatalf("err %v", err)
		}
		out := mustRun(t, round1.At, "snapshot", "--program", round1File, "--round", "1", "--db", empty, "--allow-empty")
		if s, err := podium.ParseSnapshot([]byte(out)); err != nil || s.Records.Count != 0 {
			t.Fatalf("empty snapshot %v %+v", err, s)
		}
	})
	t.Run("OKSnapshotRewardsVerify", func(t *testing.T) {
		mustRun(t, round1.At, "snapshot", "--program", round1File, "--round", "1", "--db", dsn, "--out", snap, "--registry", reg)
		again := mustRun(t, round1.At.Add(time.Hour), "snapshot", "--program", round1File, "--round", "1", "--db", dsn)
		if b, _ := os.ReadFile(snap); string(b) != again {
			t.Fatal("the stored snapshot was not returned as is")
		}
		dist := mustRun(t, round1.At, "rewards", "--program", round1File, "--round", "1", "--snapshot", snap)
		d, err := podium.ParseDistribution([]byte(dist))
		if err != nil {
			t.Fatal(err)
		}
		if got := round1.Describe(*d); got != round1.Want {
			t.Fatalf("distribution\n got:\n%s\nwant:\n%s", got, round1.Want)
		}
		if again := mustRun(t, round1.At, "rewards", "--program", round1File, "--round", "1", "--snapshot", snap); again != dist {
			t.Fatal("rewards are not deterministic")
		}
		csv := mustRun(t, round1.At, "rewards", "--program", round1File, "--round", "1", "--snapshot", snap, "--format", "csv")
		if !strings.HasPrefix(csv, "address,name,pay_to,amount,amount_tokens,awards\n"+round1.Vires+",vires-in-numeris,,771428571428571428571,771.428571428571428571,") {
			t.Fatalf("csv:\n%s", csv)
		}
		md := mustRun(t, round1.At, "rewards", "--program", round1File, "--round", "1", "--snapshot", snap, "--format", "md")
		if !strings.Contains(md, "| majOrcha | "+round1.MajOrcha+" → 0x2000000000000000000000000000000000000002 | 1171.428571428571428571 |") {
			t.Fatalf("md:\n%s", md)
		}
		distFile := write(t, filepath.Join(dir, "distribution.json"), dist)
		out := mustRun(t, round1.At, "verify", "--program", round1File, "--round", "1", "--snapshot", snap, "--distribution", distFile)
		if !strings.Contains(out, "OK:") {
			t.Fatalf("verify: %s", out)
		}
		bad := write(t, filepath.Join(dir, "bad.json"), strings.Replace(dist, "1171428571428571428571", "1271428571428571428571", 1))
		out, err = run(t, round1.At, "verify", "--program", round1File, "--round", "1", "--snapshot", snap, "--distribution", bad)
		var exit *exitError
		if !errors.As(err, &exit) || exit.code != 1 || !strings.Contains(out, "DIFFERS recipients["+round1.MajOrcha+"].amount: published 1271428571428571428571, recomputed 1171428571428571428571") {
			t.Fatalf("verify tampered: %v\n%s", err, out)
		}

		// A forged snapshot that agrees with itself passes on its own; the
		// published id and the raw records catch it.
		sb, _ := os.ReadFile(snap)
		s, err := podium.ParseSnapshot(sb)
		if err != nil {
			t.Fatal(err)
		}
		e := &s.Aggregates[0]
		for i := range s.Aggregates { // the worst one: the cheater
			if a := &s.Aggregates[i]; a.SumSuccessRate*e.Tests < e.SumSuccessRate*a.Tests {
				e = a
			}
		}
		e.SumSuccessRate, e.VerificationFailures = e.Tests*podium.RateUnit, 0
		e.Score = score.Of(e.Aggregate)
		fb, _ := s.Canonical()
		forged := write(t, filepath.Join(dir, "forged-snapshot.json"), string(fb))
		fdist := write(t, filepath.Join(dir, "forged-distribution.json"),
			mustRun(t, round1.At, "rewards", "--program", round1File, "--round", "1", "--snapshot", forged))
		verifyForged := []string{"verify", "--program", round1File, "--round", "1", "--snapshot", forged, "--distribution", fdist}
		if out := mustRun(t, round1.At, verifyForged...); !strings.Contains(out, "OK:") {
			t.Fatalf("the forgery does not agree with itself, so this proves nothing:\n%s", out)
		}
		recs, _ := json.Marshal(round1.Records())
		records := write(t, filepath.Join(dir, "records.json"), string(recs))
		out, err = run(t, round1.At, append(verifyForged, "--expect-snapshot", podium.ContentID(sb), "--records", records)...)
		if !errors.As(err, &exit) || exit.code != 1 || !strings.Contains(out, "DIFFERS snapshot id (expected as published)") ||
			!strings.Contains(out, "DIFFERS snapshot.aggregates["+e.Orchestrator+"/"+e.Region+"].sum_success_rate_e9") {
			t.Fatalf("verify forged: %v\n%s", err, out)
		}
		out = mustRun(t, round1.At, "verify", "--program", round1File, "--round", "1", "--snapshot", snap, "--distribution", distFile,
			"--expect-snapshot", podium.ContentID(sb), "--records", records)
		if !strings.Contains(out, "OK: the snapshot is the one published") || !strings.Contains(out, "OK: the snapshot's aggregates and digest are those of the raw records") {
			t.Fatalf("verify with records:\n%s", out)
		}
	})
	t.Run("OKReports", func(t *testing.T) {
		out := mustRun(t, round1.At.Add(-24*time.Hour), "report", "projection", "--program", round1File, "--round", "1", "--db", dsn, "--registry", reg)
		if !strings.Contains(out, "Round 1 projection, 2020-12-20 15:00 UTC") || !strings.Contains(out, "Projected rewards if the round ended now") {
			t.Fatalf("projection:\n%s", out)
		}
		pay := write(t, filepath.Join(dir, "payments.json"), `{"payments":[{"address":"`+round1.Staked+`","tx_hash":"0xfeed"}]}`)
		outDir := filepath.Join(dir, "results")
		mustRun(t, round1.At, "report", "results", "--program", round1File, "--round", "1", "--db", dsn, "--payments", pay, "--out", outDir)
		md, err := os.ReadFile(filepath.Join(outDir, "report.md"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(md), "| Staked | "+round1.Staked+" | 971.428571428571428571 | qualified, regional-top5 MDW #2, regional-top5 FRA #4 | 0xfeed |") {
			t.Fatalf("results:\n%s", md)
		}
		for _, name := range []string{"report.html", "round-1-results-mdw.png", "round-1-results-fra.png", "round-1-results-sin.png"} {
			if _, err := os.Stat(filepath.Join(outDir, name)); err != nil {
				t.Fatal(err)
			}
		}
		kick := mustRun(t, round1.At, "report", "kickoff", "--program", round1File, "--round", "1", "--db", dsn)
		if !strings.Contains(kick, "Round 1 kickoff report") {
			t.Fatalf("kickoff:\n%s", kick)
		}
	})
	t.Run("ErrBadProgram", func(t *testing.T) {
		_, err := run(t, start, "program", "validate", "--program", "../../program/testdata/bad/over-budget.yaml")
		if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(err.Error(), "line ") {
			t.Fatalf("err %v", err)
		}
	})
}
