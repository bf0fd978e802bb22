package payout_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/contracts"
	"github.com/podiumhq/podium/chain/payout"
)

// A batch shows on the chain as sender -> batch contract (the total) and
// batch contract -> recipient (each payment): reconcile matches the latter,
// and reports as extra what the sender sent the contract that it did not pay
// on, and what a batch of the sender paid to someone not in the plan.
func TestReconcile_Batch(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	p, path := makePlan(t, c, client, distribution(5, "reconcile batch"), payout.MethodBatch, 2)
	if _, err := execute(t, c, client, path, nil); err != nil {
		t.Fatal(err)
	}
	rec, err := payout.Reconcile(context.Background(), client, p)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.OK() {
		t.Fatalf("reconcile: %d missing, extra %+v", rec.Missing(), rec.Extra)
	}
	txs := map[string]bool{}
	for _, pd := range rec.Payments {
		txs[pd.Tx] = true
	}
	if len(txs) != 3 {
		t.Fatalf("payments found in %d transactions, want the 3 batches", len(txs))
	}

	key, _ := chain.LoadKey(c.Keystore, c.PassphraseFile)
	sendTransfer(t, client, c.ChainID, key, c.Token, c.Batch, big.NewInt(7))
	stranger := common.Address{0xe1}
	tok, batch := contracts.ABI(contracts.TestLPT), contracts.ABI(contracts.BatchPay)
	approve, _ := tok.Pack("approve", c.Batch, big.NewInt(3))
	disperse, _ := batch.Pack("disperseToken", c.Token, []common.Address{stranger}, []*big.Int{big.NewInt(3)})
	if st := sendCall(t, client, c.ChainID, key, c.Token, approve); st != types.ReceiptStatusSuccessful {
		t.Fatal("approve failed")
	}
	if st := sendCall(t, client, c.ChainID, key, c.Batch, disperse); st != types.ReceiptStatusSuccessful {
		t.Fatal("disperseToken failed")
	}
	rec, err = payout.Reconcile(context.Background(), client, p)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, x := range rec.Extra {
		got[x.To] = x.Amount
	}
	want := map[string]string{strings.ToLower(c.Batch.Hex()): "7", strings.ToLower(stranger.Hex()): "3"}
	if rec.Missing() != 0 || len(rec.Extra) != 2 || got[strings.ToLower(c.Batch.Hex())] != "7" || got[strings.ToLower(stranger.Hex())] != "3" {
		t.Fatalf("extra %+v, want %v", rec.Extra, want)
	}
}
