package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium/chain"
)

// podium devchain serves JSON-RPC, writes --out and its keystore, registers
// the orchestrators of --registry and stops when its context ends.
func TestDevchainCmd_OK(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "devchain.json")
	reg := write(t, filepath.Join(dir, "registry.csv"), "address,service_uri,name,payout_address\n"+
		"0x1111111111111111111111111111111111111111,https://127.0.0.1:9935,one.eth,\n")
	ready := make(chan string, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(string) string { return "" },
		Now: time.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Ready: func(_, addr string) { ready <- addr }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"devchain", "--listen", "127.0.0.1:0", "--out", out, "--registry", reg})
	}()
	var rpc string
	select {
	case rpc = <-ready:
	case err := <-done:
		t.Fatalf("devchain ended: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("devchain not ready")
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]any
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rpc", "chain_id", "token", "batch", "controller", "admin", "keystore", "passphrase_file"} {
		if info[k] == nil || info[k] == "" {
			t.Errorf("--out lacks %q: %s", k, b)
		}
	}
	if info["rpc"] != rpc {
		t.Errorf("rpc %v, ready at %s", info["rpc"], rpc)
	}
	if _, err := chain.LoadKey(info["keystore"].(string), info["passphrase_file"].(string)); err != nil {
		t.Fatal(err)
	}
	text, code := runCmd(t, "registry", "--rpc", rpc, "--controller", info["controller"].(string), "--format", "csv")
	if code != 0 || !strings.Contains(text, "0x1111111111111111111111111111111111111111,https://127.0.0.1:9935,,") {
		t.Fatalf("registry: exit %d\n%s", code, text)
	}

	// The prober reads the same registry from the chain: it tests the one
	// registered orchestrator (nothing listens there) and says so.
	addr := freePort(t)
	board := startBoard(t, filepath.Join(dir, "board.db"), addr)
	defer board.kill(t)
	pm, stdout, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	err = pm.Run(ctx, []string{"probe", "--once", "--region", "FRA", "--leaderboard", "http://" + addr,
		"--rpc", rpc, "--controller", info["controller"].(string), "--spool", filepath.Join(dir, "spool"),
		"--segments", "1", "--seed", "1"})
	if out := stdout.String(); err != nil || !regexp.MustCompile(`0x1{40} .* Unreachable×1`).MatchString(out) ||
		!strings.Contains(out, "recorded 1, withheld 0") {
		t.Fatalf("the prober did not test and record the orchestrator registered on chain: %v\n%s\n%s", err, out, stderr)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("devchain: %v", err)
	}
}
