package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web"
)

// TestVerify_LeaderboardAI checks a round with AI pools against a running
// leaderboard (podium serve on SQLite and on PostgreSQL): verify
// --leaderboard recomputes the AI part from the leaderboard's AI raw_stats
// too, and fails naming the aggregate when the leaderboard holds an AI
// record the snapshot left out, serves one changed, or misses one.
func TestVerify_LeaderboardAI(t *testing.T) {
	for _, tt := range []struct {
		name string
		dsn  func(t *testing.T, name string) string
	}{
		{"SQLite", func(t *testing.T, name string) string { return filepath.Join(t.TempDir(), name+".db") }},
		{"PostgreSQL", func(t *testing.T, _ string) string { return storetest.FreshSchema(t, storetest.PostgresDSN(t)) }},
	} {
		t.Run(tt.name, func(t *testing.T) { testVerifyLeaderboardAI(t, tt.dsn) })
	}
}

func testVerifyLeaderboardAI(t *testing.T, newDSN func(t *testing.T, name string) string) {
	dir := t.TempDir()
	prog := "../../program/testdata/ai.yaml"
	at := time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
	recs := "testdata/ai-records.jsonl"
	db := newDSN(t, "board")
	mustRun(t, at, "import", recs, "--db", db)
	snap := filepath.Join(dir, "snapshot.json")
	mustRun(t, at, "snapshot", "--program", prog, "--round", "1", "--db", db, "--out", snap)
	dist := write(t, filepath.Join(dir, "distribution.json"),
		mustRun(t, at, "rewards", "--program", prog, "--round", "1", "--snapshot", snap))
	args := []string{"verify", "--program", prog, "--round", "1", "--snapshot", snap, "--distribution", dist}

	board := startServe(t, "--db", db)
	out := mustRun(t, at, append(args, "--leaderboard", board)...)
	if !strings.Contains(out, "OK: the snapshot's aggregates and digest are those of the raw records") || strings.Contains(out, "NOTE") {
		t.Fatalf("verify --leaderboard:\n%s", out)
	}

	// A leaderboard that serves other AI records than the snapshot's: one
	// changed (l21's success rate), one missing (u43FRA).
	b, err := os.ReadFile(recs)
	if err != nil {
		t.Fatal(err)
	}
	var other []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		switch {
		case strings.Contains(l, `"test_id": "u43FRA"`):
			continue
		case strings.Contains(l, `"test_id": "l21"`):
			l2 := strings.Replace(l, `"success_rate": 0.85`, `"success_rate": 0.9`, 1)
			if l2 == l {
				t.Fatalf("l21 has no success rate 0.85: %s", l)
			}
			l = l2
		}
		other = append(other, l)
	}
	if len(other) != strings.Count(string(b), "\n")-1 {
		t.Fatalf("u43FRA is not in %s", recs)
	}
	changed := newDSN(t, "changed")
	mustRun(t, at, "import", write(t, filepath.Join(dir, "changed.jsonl"), strings.Join(other, "\n")+"\n"), "--db", changed)
	out, err = run(t, at, append(args, "--leaderboard", startServe(t, "--db", changed))...)
	var exit *exitError
	for _, want := range []string{
		"DIFFERS snapshot.ai.records.digest",
		"DIFFERS snapshot.ai.records.count: published 36, recomputed 35",
		"DIFFERS snapshot.ai.aggregates[llm/meta-llama/Meta-Llama-3.1-8B-Instruct/0x0000000000000000000000000000000000000002/FRA].sum_success_rate_e9",
		"DIFFERS snapshot.ai.aggregates[upscale/stabilityai/stable-diffusion-x4-upscaler/0x0000000000000000000000000000000000000004/FRA].tests: published 3, recomputed 2",
	} {
		if !errors.As(err, &exit) || !strings.Contains(out, want) {
			t.Fatalf("verify --leaderboard of a changed board lacks %q: %v\n%s", want, err, out)
		}
	}
	if strings.Contains(out, "DIFFERS snapshot.records.") {
		t.Fatalf("the transcoding records are the same:\n%s", out)
	}

	// An AI record of the window, of an orchestrator and a pipeline that no
	// pool and not the snapshot names, posted to the first board.
	hidden := podium.Stats{Orchestrator: "0x0000000000000000000000000000000000000009", Region: "FRA", Timestamp: at.Unix() - 3600,
		SuccessRate: 1, RoundTripTime: 0.1, Pipeline: "llm", Model: "meta-llama/Meta-Llama-3.1-8B-Instruct", TestID: "hidden"}
	if _, err := web.NewClient(board, []byte(testSecret)).PostStats(context.Background(), hidden); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, at, append(args, "--leaderboard", board)...)
	if !errors.As(err, &exit) || !strings.Contains(out, "DIFFERS snapshot.ai.records.count") ||
		!strings.Contains(out, "DIFFERS snapshot.ai.aggregates[llm/meta-llama/Meta-Llama-3.1-8B-Instruct/0x0000000000000000000000000000000000000009/FRA]") {
		t.Fatalf("verify --leaderboard with an AI record left out: %v\n%s", err, out)
	}
}
