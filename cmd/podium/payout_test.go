package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/chain/payout"
)

// runCmd runs podium with args and returns stdout and the exit status.
func runCmd(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
		Now: func() time.Time { return time.Unix(1700000000, 0) }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := m.Run(ctx, args); err != nil {
		code := m.Report(err)
		return out.String() + errOut.String(), code
	}
	return out.String(), 0
}

// roundOne writes a Round 1 shaped distribution: 4000 LPT split equally
// between the qualified orchestrators plus 200 LPT regional awards.
func roundOne(t *testing.T, dir string) string {
	t.Helper()
	d := podium.Distribution{Program: "mvp-performance-incentive", Round: 1, RulesID: "sha256:r", SnapshotID: "sha256:s",
		Token: podium.TokenInfo{Symbol: "LPT", Decimals: 18}}
	n := 11
	share := new(big.Int).Div(new(big.Int).Mul(big.NewInt(4000), big.NewInt(1e18)), big.NewInt(int64(n)))
	top := new(big.Int).Mul(big.NewInt(200), big.NewInt(1e18))
	total := new(big.Int)
	for i := 0; i < n; i++ {
		a := common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprintf("round one %d", i))))
		amt := new(big.Int).Set(share)
		awards := []podium.Award{{Pool: "qualified", Amount: share.String()}}
		if i < 5 {
			amt.Add(amt, top)
			awards = append(awards, podium.Award{Pool: "regional-top5", Region: "MDW", Rank: i + 1, Amount: top.String()})
		}
		total.Add(total, amt)
		d.Recipients = append(d.Recipients, podium.Recipient{Address: strings.ToLower(a.Hex()), Amount: amt.String(), Awards: awards})
	}
	d.Total = total.String()
	d.Undistributed = new(big.Int).Sub(new(big.Int).Mul(big.NewInt(4000), big.NewInt(1e18)), new(big.Int).Mul(share, big.NewInt(int64(n)))).String()
	b, _ := json.MarshalIndent(d, "", "  ")
	path := filepath.Join(dir, "distribution.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The acceptance path: plan → execute → reconcile on the dev chain, for
// both methods, plus status and export.
func TestPayoutCmd_OK(t *testing.T) {
	dist := roundOne(t, t.TempDir())
	for _, method := range []string{payout.MethodBatch, payout.MethodTransfer} {
		t.Run(method, func(t *testing.T) {
			// A chain each: a distribution is paid once per chain.
			c, err := devchain.Start(context.Background(), devchain.Config{Listen: "127.0.0.1:0", Dir: filepath.Join(t.TempDir(), "chain")})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			plan := filepath.Join(t.TempDir(), "plan.json")
			keys := []string{"--rpc", c.RPC, "--keystore", c.Keystore, "--passphrase-file", c.PassphraseFile}
			out, code := runCmd(t, append([]string{"payout", "plan", "--distribution", dist, "--token", c.Token.Hex(),
				"--method", method, "--batch", c.Batch.Hex(), "--batch-size", "4", "--budget", "7000", "--out", plan}, keys...)...)
			if code != 0 {
				t.Fatalf("plan: %s", out)
			}
			p, err := payout.LoadPlan(plan, "")
			if err != nil {
				t.Fatal(err)
			}
			// Not paid yet: reconcile fails.
			if out, code := runCmd(t, "payout", "reconcile", "--plan", plan, "--rpc", c.RPC); code != 1 || !strings.Contains(out, "11 missing") {
				t.Fatalf("reconcile before paying: exit %d\n%s", code, out)
			}
			if out, code := runCmd(t, append([]string{"payout", "execute", "--plan", plan, "--dry-run"}, keys...)...); code != 0 || !strings.Contains(out, "would sign") {
				t.Fatalf("dry run: exit %d\n%s", code, out)
			}
			// A wrong passphrase: refused before anything is signed or journaled.
			wrong := filepath.Join(t.TempDir(), "wrong-passphrase")
			if err := os.WriteFile(wrong, []byte("not-this-keystore's\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, code := runCmd(t, "payout", "execute", "--plan", plan, "--hash", p.Hash, "--rpc", c.RPC,
				"--keystore", c.Keystore, "--passphrase-file", wrong); code == 0 || !strings.Contains(out, "--passphrase-file holds this keystore's passphrase") {
				t.Fatalf("execute with a wrong passphrase: exit %d\n%s", code, out)
			}
			if _, err := os.Stat(plan + ".journal"); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("an execute that could not sign left a journal: %v", err)
			}
			if out, code := runCmd(t, append([]string{"payout", "execute", "--plan", plan, "--hash", "sha256:other"}, keys...)...); code == 0 {
				t.Fatalf("execute of an unreviewed plan: %s", out)
			}
			if out, code := runCmd(t, append([]string{"payout", "execute", "--plan", plan, "--hash", p.Hash}, keys...)...); code != 0 {
				t.Fatalf("execute: exit %d\n%s", code, out)
			}
			out, code = runCmd(t, "payout", "reconcile", "--plan", plan, "--rpc", c.RPC)
			if code != 0 || !strings.Contains(out, "11 of 11 payments found, 0 missing, 0 unplanned") {
				t.Fatalf("reconcile: exit %d\n%s", code, out)
			}
			// Paid once: a second plan of the distribution is refused,
			// beside the first (its journal) or anywhere else (the chain).
			for _, again := range []string{filepath.Join(filepath.Dir(plan), "again.json"), filepath.Join(t.TempDir(), "elsewhere.json")} {
				out, code := runCmd(t, append([]string{"payout", "plan", "--distribution", dist, "--token", c.Token.Hex(),
					"--method", method, "--batch", c.Batch.Hex(), "--out", again}, keys...)...)
				if code == 0 || !strings.Contains(out, "already paid") || !strings.Contains(out, "chain: 0x") {
					t.Fatalf("second plan %s: exit %d\n%s", again, code, out)
				}
				if strings.HasSuffix(again, "again.json") && !strings.Contains(out, p.Hash) {
					t.Errorf("the refusal does not name the earlier plan %s:\n%s", p.Hash, out)
				}
			}
			out, code = runCmd(t, "payout", "status", "--plan", plan, "--rpc", c.RPC)
			if code != 0 || strings.Count(out, " done ") != 11 {
				t.Fatalf("status: exit %d\n%s", code, out)
			}
			for _, f := range []string{"safe", "merkle", "csv"} {
				if out, code := runCmd(t, "payout", "export", "--plan", plan, "--format", f); code != 0 || len(out) < 100 {
					t.Fatalf("export %s: exit %d\n%s", f, code, out)
				}
			}
		})
	}
}

func TestPayoutCmd_ErrBudget(t *testing.T) {
	dir := t.TempDir()
	c, err := devchain.Start(context.Background(), devchain.Config{Listen: "127.0.0.1:0", Dir: filepath.Join(dir, "chain")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	out, code := runCmd(t, "payout", "plan", "--distribution", roundOne(t, dir), "--token", c.Token.Hex(), "--rpc", c.RPC,
		"--keystore", c.Keystore, "--passphrase-file", c.PassphraseFile, "--budget", "4999", "--out", filepath.Join(dir, "p.json"))
	if code == 0 || !strings.Contains(out, "budget") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refused plan was written")
	}
	// A budget that is not an amount of the token is bad input (exit 2),
	// refused before the chain is asked anything.
	for _, bad := range []string{"1.0000000000000000001", "-1", "1e3", ".5"} {
		out, code := runCmd(t, "payout", "plan", "--distribution", roundOne(t, dir), "--token", c.Token.Hex(), "--rpc", c.RPC,
			"--keystore", c.Keystore, "--passphrase-file", c.PassphraseFile, "--budget", bad, "--out", filepath.Join(dir, "p.json"))
		if code != 2 || !strings.Contains(out, "--budget: ") {
			t.Fatalf("--budget %s: exit %d, want 2 naming --budget\n%s", bad, code, out)
		}
	}
}

func TestRegistryCmd_OK(t *testing.T) {
	c, err := devchain.Start(context.Background(), devchain.Config{Listen: "127.0.0.1:0", Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	out, code := runCmd(t, "registry", "--rpc", c.RPC, "--controller", c.Controller.Hex(), "--ens-rpc", c.RPC,
		"--ens-registry", c.ENSRegistry.Hex(), "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var want strings.Builder
	want.WriteString("address,service_uri,name,payout_address\n")
	for _, o := range devchain.DefaultOrchestrators() {
		fmt.Fprintf(&want, "%s,%s,%s,\n", o.Address, o.ServiceURI, o.Name)
	}
	if out != want.String() {
		t.Fatalf("got\n%s\nwant\n%s", out, want.String())
	}
	if out, code := runCmd(t, "registry", "--rpc", c.RPC, "--controller", c.Controller.Hex()); code != 0 || !strings.Contains(out, "https://127.0.0.1:8935") {
		t.Fatalf("table: exit %d\n%s", code, out)
	}
}
