package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/web"
)

// TestVerify_Leaderboard recomputes a snapshot from a running leaderboard's
// raw_stats, and catches a record the snapshot left out.
func TestVerify_Leaderboard(t *testing.T) {
	dir := t.TempDir()
	dsn := round1DB(t, filepath.Join(dir, "board.db"))
	snap := filepath.Join(dir, "snapshot.json")
	mustRun(t, round1.At, "snapshot", "--program", round1File, "--round", "1", "--db", dsn, "--out", snap)
	dist := write(t, filepath.Join(dir, "distribution.json"),
		mustRun(t, round1.At, "rewards", "--program", round1File, "--round", "1", "--snapshot", snap))
	args := []string{"verify", "--program", round1File, "--round", "1", "--snapshot", snap, "--distribution", dist}

	board := startServe(t, "--db", dsn)
	out := mustRun(t, round1.At, append(args, "--leaderboard", board)...)
	if !strings.Contains(out, "OK: the snapshot's aggregates and digest are those of the raw records") {
		t.Fatalf("verify --leaderboard:\n%s", out)
	}

	// A record of the window the snapshot does not account for.
	late := round1.Records()[0]
	late.TestID, late.Timestamp = "late", round1.At.Unix()-60
	if _, err := web.NewClient(board, []byte(testSecret)).PostStats(context.Background(), late); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, round1.At, append(args, "--leaderboard", board)...)
	var exit *exitError
	if !errors.As(err, &exit) || !strings.Contains(out, "DIFFERS snapshot.records.count") {
		t.Fatalf("verify --leaderboard with a record left out: %v\n%s", err, out)
	}
	if _, err := run(t, round1.At, append(args, "--leaderboard", board, "--records", snap)...); podium.ErrorCode(err) != podium.EINVALID {
		t.Fatalf("--records with --leaderboard: %v", err)
	}
}
