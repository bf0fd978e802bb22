package main

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/lpnet"
)

// TestProbe_Paid runs a paying prober end to end on a dev chain: `podium
// sender fund` funds the prober's sender on the TicketBroker, a priced
// `podium node orchestrator` takes its tickets, `podium probe --once`
// pays, tests and reports the cost; an orchestrator over the price cap is
// recorded as such and not tested; a sender too poor for a cycle stops it.
func TestProbe_Paid(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	orchAddr := strings.ToLower(lpnet.NewSigner(lpnet.KeyFromSeed(300)).Address().Hex())
	dc, err := devchain.Start(ctx, devchain.Config{Listen: "127.0.0.1:0", Dir: dir,
		Orchestrators: []podium.Orchestrator{{Address: orchAddr, ServiceURI: "https://127.0.0.1:1", Active: true}}})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	if err := dc.Fund(ctx, lpnet.NewSigner(lpnet.KeyFromSeed(300)).Address(), big.NewInt(1e18), nil); err != nil {
		t.Fatal(err)
	}
	ctrl := strings.ToLower(dc.Controller.Hex())
	senderArgs := func(sub string, more ...string) []string {
		return append([]string{"sender", sub, "--rpc", dc.RPC, "--controller", ctrl, "--keystore", dc.Keystore}, more...)
	}
	journal := filepath.Join(dir, "sender.journal")
	out, code := runCmd(t, senderArgs("fund", "--deposit", "100000000000000000", "--reserve", "100000000000000000", "--dry-run")...)
	if code != 0 || !strings.Contains(out, "would send fundDepositAndReserve") || !strings.Contains(out, "deposit 0 wei") {
		t.Fatalf("fund --dry-run: exit %d\n%s", code, out)
	}
	out, code = runCmd(t, senderArgs("fund", "--deposit", "100000000000000000", "--reserve", "100000000000000000",
		"--passphrase-file", dc.PassphraseFile, "--journal", journal)...)
	if code != 0 || !strings.Contains(out, "deposit 100000000000000000 wei") {
		t.Fatalf("fund: exit %d\n%s", code, out)
	}
	if b, err := os.ReadFile(journal); err != nil || !strings.Contains(string(b), `"action":"fund"`) {
		t.Fatalf("journal: %v\n%s", err, b)
	}
	if out, code := runCmd(t, senderArgs("withdraw", "--dry-run")...); code == 0 || !strings.Contains(out, "no unlock request in progress") {
		t.Fatalf("withdraw before unlock: exit %d\n%s", code, out)
	}

	nm, _, nlog := testMain(t, nil)
	nodeAddr := runReady(t, nm, []string{"node", "orchestrator", "--listen", "127.0.0.1:0", "--seed", "300", "--price", "1200",
		"--pay-rpc", dc.RPC, "--pay-controller", ctrl, "--threads", "1"}, nlog)
	reg := write(t, filepath.Join(dir, "orchestrators.csv"), fmt.Sprintf("address,service_uri,name,payout_address\n%s,https://%s,priced,\n", orchAddr, nodeAddr))
	port := freePort(t)
	lb := startBoard(t, filepath.Join(dir, "board.db"), port)
	defer lb.kill(t)
	probe := func(more ...string) (string, string, error) {
		m, stdout, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
		err := m.Run(ctx, append([]string{"probe", "--once", "--region", "FRA", "--leaderboard", "http://" + port,
			"--orchestrators", reg, "--segments", "2", "--spool", filepath.Join(dir, "spool"), "--seed", "3", "--segment-timeout", "30s",
			"--pay-rpc", dc.RPC, "--pay-controller", ctrl, "--sender-keystore", dc.Keystore, "--sender-passphrase-file", dc.PassphraseFile}, more...))
		return stdout.String(), stderr.String(), err
	}

	table, log, err := probe("--max-price", "2000")
	if err != nil || !regexp.MustCompile(`priced\s+1\.00`).MatchString(table) || !strings.Contains(table, "recorded 1, withheld 0") || !strings.Contains(table, "cost: ") {
		t.Fatalf("paid probe: %v\n%s\n%s\n%s", err, table, log, nlog)
	}
	table, log, err = probe("--max-price", "1000")
	if err != nil || !strings.Contains(table, "PriceOverCap") || !strings.Contains(table, "price over cap (not tested): 1") || !strings.Contains(table, "recorded 0, withheld 0") {
		t.Fatalf("over the cap: %v\n%s\n%s", err, table, log)
	}
	// The program the leaderboard serves caps the price below the flag:
	// the lower cap applies (the flag alone, 2000, paid 1200 above).
	prog, err := os.ReadFile("../../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	progFile := write(t, filepath.Join(dir, "program.yaml"), string(prog)+"testing:\n  max_price_per_pixel: \"1000\"\n")
	port2 := freePort(t)
	lb2 := startBoard(t, filepath.Join(dir, "board2.db"), port2, "--program", progFile)
	defer lb2.kill(t)
	table, log, err = probe("--leaderboard", "http://"+port2, "--max-price", "2000")
	if err != nil || !strings.Contains(table, "price over cap (not tested): 1") {
		t.Fatalf("over the program's cap: %v\n%s\n%s", err, table, log)
	}
	// 10 segments of 240p+360p (19,958,400 pixels each) × 1.02 at up to
	// 10^9 wei per pixel: 2.036 × 10^17 wei (1.02 as a float64 adds 4
	// wei), more than the 10^17 deposit.
	table, _, err = probe("--max-price", "1000000000", "--segments", "10")
	if err == nil || !strings.Contains(err.Error(), "cannot pay") || !strings.Contains(err.Error(), "a deposit of at least 203575680000000004 wei") || table != "" {
		t.Fatalf("too poor: %v\n%s", err, table)
	}
}
