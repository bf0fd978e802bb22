package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/chain/payout"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/store"
)

// TestServe_UIPayout runs a round the way an administrator does — the test
// week stored, the snapshot frozen, the rewards computed, the payout planned
// and executed on the dev chain — and checks that the round page shows every
// payment confirmed with the transaction the payout journaled.
func TestServe_UIPayout(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "podium.db")
	prog := "../../program/testdata/round1.yaml"
	ctx := context.Background()

	st, err := store.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddStats(ctx, round1.Records()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	snap, dist := filepath.Join(dir, "snapshot.json"), filepath.Join(dir, "distribution.json")
	if out, code := runCmd(t, "snapshot", "--program", prog, "--round", "1", "--db", db, "--out", snap); code != 0 {
		t.Fatalf("snapshot: %s", out)
	}
	if out, code := runCmd(t, "rewards", "--program", prog, "--round", "1", "--snapshot", snap, "--out", dist); code != 0 {
		t.Fatalf("rewards: %s", out)
	}

	c, err := devchain.Start(ctx, devchain.Config{Listen: "127.0.0.1:0", Dir: filepath.Join(dir, "chain")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	payouts := filepath.Join(dir, "payouts")
	plan := filepath.Join(payouts, "round-1.json")
	if err := os.Mkdir(payouts, 0o755); err != nil {
		t.Fatal(err)
	}
	keys := []string{"--rpc", c.RPC, "--keystore", c.Keystore, "--passphrase-file", c.PassphraseFile}
	if out, code := runCmd(t, append([]string{"payout", "plan", "--distribution", dist, "--token", c.Token.Hex(),
		"--method", payout.MethodBatch, "--batch", c.Batch.Hex(), "--budget", "7000", "--out", plan}, keys...)...); code != 0 {
		t.Fatalf("plan: %s", out)
	}
	p, err := payout.LoadPlan(plan, "")
	if err != nil {
		t.Fatal(err)
	}
	if out, code := runCmd(t, append([]string{"payout", "execute", "--plan", plan, "--hash", p.Hash}, keys...)...); code != 0 {
		t.Fatalf("execute: %s", out)
	}
	recs, err := payout.ReadJournal(payout.JournalPath(plan))
	if err != nil {
		t.Fatal(err)
	}
	var mined []string
	for _, r := range recs {
		if r.Kind == payout.RecordMined && r.Status == 1 && len(p.Steps[r.Step].Payments) > 0 { // not the approval
			mined = append(mined, r.Hash)
		}
	}
	if len(mined) == 0 {
		t.Fatal("the payout journaled no receipt")
	}

	url := startServe(t, "--db", db, "--program", prog, "--payouts", payouts)
	resp, err := http.Get(url + "/rounds/1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	distJSON, err := os.ReadFile(dist)
	if err != nil {
		t.Fatal(err)
	}
	d, err := podium.ParseDistribution(distJSON)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(page, `<span class="status confirmed">confirmed</span>`); resp.StatusCode != 200 || n != len(d.Recipients) {
		t.Errorf("round 1 shows %d confirmed payments, the distribution has %d recipients (status %d)", n, len(d.Recipients), resp.StatusCode)
	}
	if !strings.Contains(page, `id="phase">paid<`) {
		t.Error("round 1 is not shown as paid")
	}
	for _, h := range mined {
		if !strings.Contains(page, h[len(h)-4:]) { // shown abbreviated: 0x1234…abcd
			t.Errorf("the page does not show transaction %s", h)
		}
	}
}
