package payout_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/contracts"
	"github.com/podiumhq/podium/chain/payout"
)

func TestExecutor_Run_OK(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	for _, tt := range []struct {
		method string
		size   int
		steps  int
	}{
		{payout.MethodTransfer, 0, 6},
		{payout.MethodBatch, 4, 3}, // approve + 2 batches
	} {
		t.Run(tt.method, func(t *testing.T) {
			before := balance(t, c, client, c.Admin)
			p, path := makePlan(t, c, client, distribution(6, "run ok "+tt.method), tt.method, tt.size)
			var mined int
			res, err := execute(t, c, client, path, func(e *payout.Executor) {
				e.OnEvent = func(ev payout.Event) {
					if ev.Kind == payout.EventMined {
						mined++
					}
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.Done != tt.steps || len(res.Actions) != tt.steps || mined != tt.steps {
				t.Fatalf("result %+v, %d mined events", res, mined)
			}
			checkPaid(t, c, client, p, before)

			// A re-run finds everything done and sends nothing.
			res, err = execute(t, c, client, path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Actions) != 0 || res.Done != tt.steps {
				t.Fatalf("re-run did %+v", res)
			}
			checkPaid(t, c, client, p, before)
		})
	}
}

func TestExecutor_Run_DryRun(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	_, path := makePlan(t, c, client, distribution(3, "dry"), payout.MethodBatch, 0)
	before := balance(t, c, client, c.Admin)
	res, err := execute(t, c, client, path, func(e *payout.Executor) { e.DryRun, e.Key = true, nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Actions) != 2 || res.Actions[0].Kind != payout.KindApprove || res.Actions[1].Nonce != res.Actions[0].Nonce+1 {
		t.Fatalf("actions %+v", res.Actions)
	}
	if after := balance(t, c, client, c.Admin); after.Cmp(before) != 0 {
		t.Fatal("a dry run moved tokens")
	}
	recs, _ := payout.ReadJournal(payout.JournalPath(path))
	if len(recs) != 1 {
		t.Fatalf("a dry run journaled %d records", len(recs))
	}
}

// A transaction the node never got is replaced at the same nonce with fees
// at least 10 % higher, and pays once.
func TestExecutor_Run_Dropped(t *testing.T) {
	c := startChain(t)
	px := newProxy(t, c.RPC, func(method string, n int) fault {
		if method == "eth_sendRawTransaction" && n == 2 {
			return drop
		}
		return pass
	})
	client := dial(t, px.URL)
	before := balance(t, c, client, c.Admin)
	p, path := makePlan(t, c, client, distribution(3, "dropped"), payout.MethodTransfer, 0)
	res, err := execute(t, c, client, path, func(e *payout.Executor) { e.StuckAfter = 300 * time.Millisecond })
	if err != nil {
		t.Fatal(err)
	}
	if res.Replaced != 1 {
		t.Fatalf("replaced %d, want 1", res.Replaced)
	}
	checkPaid(t, c, client, p, before)

	recs, _ := payout.ReadJournal(payout.JournalPath(path))
	var signed []payout.Record
	for _, r := range recs {
		if r.Kind == payout.RecordSigned && r.Step == 1 {
			signed = append(signed, r)
		}
	}
	if len(signed) != 2 || signed[0].Nonce != signed[1].Nonce {
		t.Fatalf("step 1 signed %+v", signed)
	}
	for _, f := range []func(payout.Record) string{
		func(r payout.Record) string { return r.Tip }, func(r payout.Record) string { return r.FeeCap },
	} {
		old, bumped := mustBig(f(signed[0])), mustBig(f(signed[1]))
		min := new(big.Int).Div(new(big.Int).Mul(old, big.NewInt(110)), big.NewInt(100))
		if bumped.Cmp(min) < 0 {
			t.Errorf("fee %s → %s is less than a 10 %% bump", old, bumped)
		}
	}
}

// Lost replies, failing calls and timeouts cost retries, never a payment.
func TestExecutor_Run_FlakyRPC(t *testing.T) {
	c := startChain(t)
	before := balance(t, c, dial(t, c.RPC), c.Admin)
	px := newProxy(t, c.RPC, func(method string, n int) fault {
		switch {
		case method == "eth_sendRawTransaction" && n%2 == 1:
			return loseReply // the node has it; we do not know
		case method == "eth_getTransactionReceipt" && n%3 == 0:
			return fail
		}
		return pass
	})
	client := dial(t, px.URL)
	p, path := makePlan(t, c, dial(t, c.RPC), distribution(5, "flaky"), payout.MethodTransfer, 0)
	if _, err := execute(t, c, client, path, nil); err != nil {
		t.Fatal(err)
	}
	checkPaid(t, c, dial(t, c.RPC), p, before)
	if px.count("eth_sendRawTransaction") < 5 {
		t.Fatal("the proxy saw too few sends")
	}
}

// A node that stops answering fails the run (every call has a timeout); a
// re-run against a good node finishes the payout exactly.
func TestExecutor_Run_Timeout(t *testing.T) {
	c := startChain(t)
	good := dial(t, c.RPC)
	before := balance(t, c, good, c.Admin)
	p, path := makePlan(t, c, good, distribution(4, "timeout"), payout.MethodTransfer, 0)
	hang := make(chan struct{})
	px := newProxy(t, c.RPC, func(method string, n int) fault {
		if method == "eth_getTransactionReceipt" && n > 2 {
			<-hang
		}
		return pass
	})
	t.Cleanup(func() { close(hang) }) // before the proxy's Close, which waits for handlers
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	_, err := executeCtx(t, ctx, c, dial(t, px.URL), path, nil)
	if err == nil {
		t.Fatal("want an error from a hanging node")
	}
	if _, err := execute(t, c, good, path, nil); err != nil {
		t.Fatal(err)
	}
	checkPaid(t, c, good, p, before)
}

func TestExecutor_Run_ErrForeignTransfer(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	_, path := makePlan(t, c, client, distribution(2, "foreign"), payout.MethodTransfer, 0)
	// Someone pays from the sender outside the journal (a lost journal, a
	// second operator): execute must refuse rather than risk paying twice.
	key, _ := chain.LoadKey(c.Keystore, c.PassphraseFile)
	sendTransfer(t, client, c.ChainID, key, c.Token, common.Address{9}, big.NewInt(1))
	_, err := execute(t, c, client, path, nil)
	if podium.ErrorCode(err) != podium.ECONFLICT {
		t.Fatalf("got %v, want a conflict", err)
	}
}

// A plan replaced after payments began is refused by the journal.
func TestExecutor_Run_ErrChangedPlan(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	_, path := makePlan(t, c, client, distribution(2, "changed plan"), payout.MethodTransfer, 0)
	if _, err := execute(t, c, client, path, nil); err != nil {
		t.Fatal(err)
	}
	other, _ := makePlan(t, c, client, distribution(3, "changed plan"), payout.MethodTransfer, 0)
	if err := other.Save(path); err != nil {
		t.Fatal(err)
	}
	_, err := execute(t, c, client, path, nil)
	if podium.ErrorCode(err) != podium.ECONFLICT || !strings.Contains(err.Error(), "belongs to plan") {
		t.Fatalf("got %v", err)
	}
}

// The sender lost tokens after the plan was made: execute refuses before
// signing anything.
func TestExecutor_Run_ErrBalance(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	_, path := makePlan(t, c, client, distribution(2, "balance"), payout.MethodTransfer, 0)
	key, _ := chain.LoadKey(c.Keystore, c.PassphraseFile)
	rest := new(big.Int).Sub(balance(t, c, client, c.Admin), big.NewInt(1))
	sendTransfer(t, client, c.ChainID, key, c.Token, common.Address{9}, rest)
	d := distribution(2, "balance")
	_, err := payout.MakePlan(context.Background(), client, payout.Request{Distribution: marshal(t, d), Token: c.Token,
		Sender: c.Admin, Method: payout.MethodTransfer})
	if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(err.Error(), "holds") {
		t.Fatalf("plan: got %v", err)
	}
	_, err = execute(t, c, client, path, nil)
	if err == nil {
		t.Fatal("execute: want an error")
	}
	if recs, _ := payout.ReadJournal(payout.JournalPath(path)); len(recs) > 1 {
		t.Fatalf("signed %d records with too little LPT", len(recs)-1)
	}
}

func sendTransfer(t *testing.T, client *ethclient.Client, chainID *big.Int, key *ecdsa.PrivateKey, token, to common.Address, amt *big.Int) {
	t.Helper()
	data, _ := contracts.ABI(contracts.TestLPT).Pack("transfer", to, amt)
	if st := sendCall(t, client, chainID, key, token, data); st != types.ReceiptStatusSuccessful {
		t.Fatal("transfer reverted")
	}
}

// sendCall sends a call from key and returns the receipt's status.
func sendCall(t *testing.T, client *ethclient.Client, chainID *big.Int, key *ecdsa.PrivateKey, to common.Address, data []byte) uint64 {
	t.Helper()
	ctx := context.Background()
	nonce, err := client.PendingNonceAt(ctx, chain.KeyAddress(key))
	if err != nil {
		t.Fatal(err)
	}
	fees, err := chain.SuggestFees(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := types.SignTx(chain.NewTx(chainID, nonce, to, data, 300_000, fees), types.LatestSignerForChainID(chainID), key)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	rc, err := chain.WaitReceipt(ctx, client, tx.Hash(), 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	return rc.Status
}

// A transaction from the sender that takes the nonce of a step being sent
// stops the run (and the next) with a conflict instead of replacing forever
// or signing the step again.
func TestExecutor_Run_ErrNonceTaken(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	before := balance(t, c, client, c.Admin)
	p, path := makePlan(t, c, client, distribution(3, "nonce taken"), payout.MethodTransfer, 0)
	key, _ := chain.LoadKey(c.Keystore, c.PassphraseFile)
	_, err := execute(t, c, client, path, func(e *payout.Executor) {
		e.MaxPending, e.StuckAfter = 1, 200*time.Millisecond
		e.OnEvent = func(ev payout.Event) {
			if ev.Kind == payout.EventSigned && ev.Step == 1 {
				// Signed and journaled, not sent: another sender gets there first.
				sendTransfer(t, client, c.ChainID, key, c.Token, common.Address{9}, big.NewInt(1))
			}
		}
	})
	if podium.ErrorCode(err) != podium.ECONFLICT {
		t.Fatalf("got %v, want a conflict", err)
	}
	if _, err := execute(t, c, client, path, nil); podium.ErrorCode(err) != podium.ECONFLICT {
		t.Fatalf("re-run: got %v, want a conflict", err)
	}
	rec, _ := payout.Reconcile(context.Background(), client, p)
	if rec.Missing() != 2 || len(rec.Extra) != 1 {
		t.Fatalf("reconcile: %d missing, %d extra; want 2 and the foreign one", rec.Missing(), len(rec.Extra))
	}
	if spent := new(big.Int).Sub(before, balance(t, c, client, c.Admin)); spent.Cmp(new(big.Int).Add(mustBig(p.Payments[0].Amount), big.NewInt(1))) != 0 {
		t.Fatalf("sender spent %s", spent)
	}
}

// A step that reverts moves no tokens, stops the run, and is signed again at
// a new nonce by the next run.
func TestExecutor_Run_ErrReverted(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	p, _ := makePlan(t, c, client, distribution(2, "reverted"), payout.MethodTransfer, 0)
	p.Steps[1].Gas = 25_000 // runs out of gas inside the token
	p.Hash = p.ComputeHash()
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	for run := 0; run < 2; run++ {
		_, err := execute(t, c, client, path, nil)
		if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(err.Error(), "reverted") {
			t.Fatalf("run %d: got %v", run, err)
		}
	}
	recs, _ := payout.ReadJournal(payout.JournalPath(path))
	var nonces []uint64
	for _, r := range recs {
		if r.Kind == payout.RecordSigned && r.Step == 1 {
			nonces = append(nonces, r.Nonce)
		}
	}
	if len(nonces) != 2 || nonces[1] != nonces[0]+1 {
		t.Fatalf("step 1 signed at nonces %v, want two consecutive", nonces)
	}
	rec, _ := payout.Reconcile(context.Background(), client, p)
	if rec.Missing() != 1 || !rec.Payments[0].Found || len(rec.Extra) != 0 {
		t.Fatalf("reconcile %+v", rec)
	}
}
