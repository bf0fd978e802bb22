package payout_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/payout"
)

// The crash matrix: a child process (this test binary, re-executed) runs the
// payout and SIGKILLs itself at one point; the parent then runs the payout
// again and checks that the chain paid exactly the plan.
func TestExecutor_Crash(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	for _, tt := range []struct {
		name   string
		method string
		size   int
		at     string // event:step, or "plan"
		check  func(t *testing.T, recs []payout.Record)
	}{
		{name: "AfterPlan", method: payout.MethodTransfer, at: "plan", check: journalSigned(0)},
		{name: "AfterSigning", method: payout.MethodTransfer, at: payout.EventSigned + ":2", check: journalSigned(3)},
		{name: "AfterSendBeforeReceipt", method: payout.MethodTransfer, at: payout.EventSent + ":1", check: journalSigned(2)},
		{name: "AfterApproveSigned", method: payout.MethodBatch, size: 2, at: payout.EventSigned + ":0", check: journalSigned(1)},
		{name: "MidBatch", method: payout.MethodBatch, size: 2, at: payout.EventMined + ":1", check: journalSigned(2)},
		{name: "AfterLastBatchSent", method: payout.MethodBatch, size: 2, at: payout.EventSent + ":3", check: journalSigned(4)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			dist := filepath.Join(dir, "distribution.json")
			writeFile(t, dist, marshal(t, distribution(5, "crash "+tt.name)))
			path := filepath.Join(dir, "plan.json")
			before := balance(t, c, client, c.Admin)
			if tt.at != "plan" {
				p, err := payout.MakePlan(context.Background(), client, payout.Request{Distribution: mustRead(t, dist),
					Token: c.Token, Sender: c.Admin, Method: tt.method, Batch: c.Batch, BatchSize: tt.size})
				if err != nil {
					t.Fatal(err)
				}
				if err := p.Save(path); err != nil {
					t.Fatal(err)
				}
			}
			crashChild(t, map[string]string{
				"RPC": c.RPC, "PLAN": path, "DIST": dist, "KEYSTORE": c.Keystore, "PASS": c.PassphraseFile,
				"AT": tt.at, "TOKEN": c.Token.Hex(), "SENDER": c.Admin.Hex(), "BATCH": c.Batch.Hex(),
				"METHOD": tt.method, "SIZE": strconv.Itoa(tt.size),
			})
			recs, err := payout.ReadJournal(payout.JournalPath(path))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, recs)

			if _, err := execute(t, c, client, path, nil); err != nil {
				t.Fatalf("re-run: %v", err)
			}
			p, err := payout.LoadPlan(path, "")
			if err != nil {
				t.Fatal(err)
			}
			checkPaid(t, c, client, p, before)
			// And once more: nothing left to do.
			if res, err := execute(t, c, client, path, nil); err != nil || len(res.Actions) != 0 {
				t.Fatalf("third run: %+v, %v", res, err)
			}
		})
	}
}

// journalSigned checks how many signed records the crashed child left.
func journalSigned(n int) func(*testing.T, []payout.Record) {
	return func(t *testing.T, recs []payout.Record) {
		t.Helper()
		got := 0
		for _, r := range recs {
			if r.Kind == payout.RecordSigned {
				got++
			}
		}
		if got != n {
			t.Fatalf("the crashed run journaled %d signed transactions, want %d", got, n)
		}
	}
}

// crashChild runs TestCrashChild in a new process and requires it to die by
// SIGKILL.
func crashChild(t *testing.T, env map[string]string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PODIUM_CRASH_CHILD=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, "PODIUM_CRASH_"+k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("child did not crash (err %v):\n%s", err, out)
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, not SIGKILL:\n%s", err, out)
	}
}

// TestCrashChild is the child of TestExecutor_Crash; it does nothing in a
// normal test run.
func TestCrashChild(t *testing.T) {
	if os.Getenv("PODIUM_CRASH_CHILD") != "1" {
		return // only TestExecutor_Crash runs it, as a child process
	}
	env := func(k string) string { return os.Getenv("PODIUM_CRASH_" + k) }
	die := func() { syscall.Kill(os.Getpid(), syscall.SIGKILL); select {} }
	ctx := context.Background()
	client, err := chain.Dial(ctx, env("RPC"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if env("AT") == "plan" {
		size, _ := strconv.Atoi(env("SIZE"))
		p, err := payout.MakePlan(ctx, client, payout.Request{Distribution: mustRead(t, env("DIST")),
			Token: common.HexToAddress(env("TOKEN")), Sender: common.HexToAddress(env("SENDER")),
			Method: env("METHOD"), Batch: common.HexToAddress(env("BATCH")), BatchSize: size})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Save(env("PLAN")); err != nil {
			t.Fatal(err)
		}
		die()
	}
	kind, step, _ := strings.Cut(env("AT"), ":")
	p, err := payout.LoadPlan(env("PLAN"), "")
	if err != nil {
		t.Fatal(err)
	}
	key, err := chain.LoadKey(env("KEYSTORE"), env("PASS"))
	if err != nil {
		t.Fatal(err)
	}
	j, err := payout.OpenJournal(payout.JournalPath(env("PLAN")), p.Hash, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e := &payout.Executor{Client: client, Key: key, Plan: p, Journal: j, Poll: 20 * time.Millisecond, MaxPending: 1,
		OnEvent: func(ev payout.Event) {
			if ev.Kind == kind && fmt.Sprint(ev.Step) == step {
				die()
			}
		}}
	_, err = e.Run(ctx)
	t.Fatalf("the run ended without reaching %s: %v", env("AT"), err)
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
