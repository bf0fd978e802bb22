package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/internal/round1"
)

// verify --rpc checks the transfers of a round paid on the dev chain: OK
// after the payout, a difference once anything else leaves the sender.
func TestVerifyCmd_OnChain(t *testing.T) {
	dir := t.TempDir()
	dsn := round1DB(t, filepath.Join(dir, "podium.db"))
	reg := write(t, filepath.Join(dir, "registry.csv"), round1.Registry)
	snap := filepath.Join(dir, "snapshot.json")
	mustRun(t, round1.At, "snapshot", "--program", round1File, "--round", "1", "--db", dsn, "--out", snap, "--registry", reg)
	dist := write(t, filepath.Join(dir, "distribution.json"),
		mustRun(t, round1.At, "rewards", "--program", round1File, "--round", "1", "--snapshot", snap))

	c, err := devchain.Start(context.Background(), devchain.Config{Listen: "127.0.0.1:0", Dir: filepath.Join(dir, "chain")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	plan := filepath.Join(dir, "plan.json")
	keys := []string{"--rpc", c.RPC, "--keystore", c.Keystore, "--passphrase-file", c.PassphraseFile}
	if out, code := runCmd(t, append([]string{"payout", "plan", "--distribution", dist, "--token", c.Token.Hex(),
		"--method", "batch", "--batch", c.Batch.Hex(), "--budget", "7000", "--out", plan}, keys...)...); code != 0 {
		t.Fatalf("plan: %s", out)
	}
	if out, code := runCmd(t, append([]string{"payout", "execute", "--plan", plan}, keys...)...); code != 0 {
		t.Fatalf("execute: %s", out)
	}
	verify := []string{"verify", "--program", round1File, "--round", "1", "--snapshot", snap, "--distribution", dist,
		"--rpc", c.RPC, "--token", c.Token.Hex(), "--sender", c.Admin.Hex()}
	out, code := runCmd(t, verify...)
	if code != 0 || !strings.Contains(out, "exactly once, and nothing else") {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}

	// One more transfer from the sender: verify now fails and names it.
	stranger := "0x00000000000000000000000000000000000000e1"
	extra := write(t, filepath.Join(dir, "extra.json"), `{"program":"x","round":9,"rules_id":"","snapshot_id":"",
		"token":{"symbol":"LPT","decimals":18},"recipients":[{"address":"`+stranger+`","amount":"5","awards":[]}],
		"total":"5","undistributed":"0"}`)
	plan2 := filepath.Join(dir, "plan2.json")
	if out, code := runCmd(t, append([]string{"payout", "plan", "--distribution", extra, "--token", c.Token.Hex(), "--out", plan2}, keys...)...); code != 0 {
		t.Fatalf("plan 2: %s", out)
	}
	if out, code := runCmd(t, append([]string{"payout", "execute", "--plan", plan2}, keys...)...); code != 0 {
		t.Fatalf("execute 2: %s", out)
	}
	out, code = runCmd(t, verify...)
	if code != 1 || !strings.Contains(out, "unplanned transfer of 5 to "+stranger) {
		t.Fatalf("verify after an extra transfer: exit %d\n%s", code, out)
	}
}
