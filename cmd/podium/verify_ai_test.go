package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestVerify_AIRound runs a round with AI pools through the commands:
// import records of both kinds, snapshot (which needs the database's AI
// tests), rewards, and verify --records, which recomputes the AI part too
// and catches an AI record the snapshot left out.
func TestVerify_AIRound(t *testing.T) {
	dir := t.TempDir()
	prog := "../../program/testdata/ai.yaml"
	at := time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
	db := filepath.Join(dir, "podium.db")
	recs := "testdata/ai-records.jsonl"
	mustRun(t, at, "import", recs, "--db", db)
	snap := filepath.Join(dir, "snapshot.json")
	mustRun(t, at, "snapshot", "--program", prog, "--round", "1", "--db", db, "--out", snap)
	if b, _ := os.ReadFile(snap); !strings.Contains(string(b), `"median_round_trip": 2.25`) {
		t.Fatalf("the snapshot has no AI medians:\n%s", b)
	}
	dist := write(t, filepath.Join(dir, "distribution.json"),
		mustRun(t, at, "rewards", "--program", prog, "--round", "1", "--snapshot", snap))
	csv := mustRun(t, at, "rewards", "--program", prog, "--round", "1", "--snapshot", snap, "--format", "csv")
	if !strings.Contains(csv, "upscale-top1:upscale/stabilityai/stable-diffusion-x4-upscaler@MDW#1=1000000000000000000000") {
		t.Fatalf("no AI award in the CSV:\n%s", csv)
	}
	args := []string{"verify", "--program", prog, "--round", "1", "--snapshot", snap, "--distribution", dist}
	out := mustRun(t, at, append(args, "--records", recs)...)
	if !strings.Contains(out, "OK: the snapshot's aggregates and digest are those of the raw records") {
		t.Fatalf("verify --records:\n%s", out)
	}
	b, err := os.ReadFile(recs)
	if err != nil {
		t.Fatal(err)
	}
	more := write(t, filepath.Join(dir, "more.jsonl"), string(b)+
		`{"orchestrator":"0x0000000000000000000000000000000000000009","region":"FRA","timestamp":1768175000,"success_rate":1,"round_trip_time":0.1,"pipeline":"llm","model":"meta-llama/Meta-Llama-3.1-8B-Instruct","errors":[],"test_id":"hidden"}`+"\n")
	out, err = run(t, at, append(args, "--records", more)...)
	var exit *exitError
	if !errors.As(err, &exit) || !strings.Contains(out, "DIFFERS snapshot.ai.records.count") || !strings.Contains(out, "DIFFERS snapshot.ai.aggregates[llm/meta-llama/Meta-Llama-3.1-8B-Instruct/0x0000000000000000000000000000000000000009/FRA]") {
		t.Fatalf("verify --records with an AI record left out: %v\n%s", err, out)
	}
}
