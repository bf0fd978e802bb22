package ui_test

import (
	"context"
	"encoding/hex"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/web/ui"
)

// signedRecord is the journal record of a transaction signed for step with
// nonce, as execute writes it: its raw bytes and hash. Its tip tells
// replacements apart.
func signedRecord(t *testing.T, step int, nonce uint64, tip int64) payout.Record {
	t.Helper()
	key, err := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	if err != nil {
		t.Fatal(err)
	}
	to := common.HexToAddress(addr(92))
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(1)), &types.DynamicFeeTx{
		ChainID: big.NewInt(1), Nonce: nonce, GasTipCap: big.NewInt(tip), GasFeeCap: big.NewInt(100), Gas: 90000, To: &to})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return payout.Record{Kind: payout.RecordSigned, At: testNow, Step: step, Nonce: nonce, Hash: tx.Hash().Hex(), Raw: hex.EncodeToString(raw)}
}

// writePlan saves a two-payment plan of round 2 in one batch step, and a
// journal with recs after its plan line.
func writePlan(t *testing.T, dir, name string, recs ...payout.Record) *payout.Plan {
	t.Helper()
	p := &payout.Plan{Version: payout.PlanVersion, Program: "p", Round: 2, ChainID: 1, Token: addr(90), Symbol: "LPT", Decimals: 18,
		Sender: addr(91), Method: payout.MethodBatch, Batch: addr(92), Total: "30",
		Payments: []payout.Payment{{Index: 0, Recipient: addr(2), To: addr(2), Amount: "10"}, {Index: 1, Recipient: addr(1), To: addr(9), Amount: "20"}},
		Steps:    []payout.Step{{Index: 0, Kind: payout.KindBatch, To: addr(92), Gas: 90000, Payments: []int{0, 1}}}}
	p.Hash = p.ComputeHash()
	path := filepath.Join(dir, name)
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	if recs != nil {
		j, err := payout.OpenJournal(payout.JournalPath(path), p.Hash, testNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if err := j.Append(r); err != nil {
				t.Fatal(err)
			}
		}
		j.Close()
	}
	return p
}

func TestPlanPayouts_Payments(t *testing.T) {
	// Transactions as execute journals them: signed, with their hashes;
	// a1 and a2 share a nonce (a2 replaces a1 with higher fees).
	a1, a2, b1 := signedRecord(t, 0, 5, 1), signedRecord(t, 0, 5, 2), signedRecord(t, 0, 6, 1)
	mined := func(r payout.Record, status uint64) payout.Record {
		return payout.Record{Kind: payout.RecordMined, At: testNow.Add(time.Minute), Step: r.Step, Nonce: r.Nonce, Hash: r.Hash, Status: status}
	}
	for _, tt := range []struct {
		name         string
		recs         []payout.Record
		status, hash string
	}{
		{"OK/Planned", nil, round.PaymentPlanned, ""},
		{"OK/Sent", []payout.Record{a1}, round.PaymentSent, a1.Hash},
		{"OK/ReplacedThenConfirmed", []payout.Record{a1, a2, mined(a2, 1)}, round.PaymentConfirmed, a2.Hash},
		// The original was mined after its replacement was sent: the
		// payment links to the one on the chain.
		{"OK/ReplacedButOriginalMined", []payout.Record{a1, a2, mined(a1, 1)}, round.PaymentConfirmed, a1.Hash},
		{"OK/Reverted", []payout.Record{a1, mined(a1, 0)}, round.PaymentFailed, a1.Hash},
		{"OK/RevertedThenSentAgain", []payout.Record{a1, mined(a1, 0), b1}, round.PaymentSent, b1.Hash},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writePlan(t, dir, "round-2.plan", tt.recs...)
			pays, err := (&ui.PlanPayouts{Dir: dir, Program: "p"}).Payments(context.Background(), 2)
			if err != nil {
				t.Fatal(err)
			}
			want := []round.Payment{
				{Recipient: addr(1), PayTo: addr(9), Amount: "20", Status: tt.status, TxHash: tt.hash},
				{Recipient: addr(2), Amount: "10", Status: tt.status, TxHash: tt.hash},
			}
			if len(pays) != 2 || pays[0] != want[0] || pays[1] != want[1] {
				t.Errorf("payments %+v, want %+v", pays, want)
			}
		})
	}
	t.Run("OK/OtherRound", func(t *testing.T) {
		dir := t.TempDir()
		writePlan(t, dir, "plan.json")
		if pays, err := (&ui.PlanPayouts{Dir: dir, Program: "p"}).Payments(context.Background(), 1); err != nil || len(pays) != 0 {
			t.Errorf("round 1 without a plan: %v, %v", pays, err)
		}
	})
	t.Run("ErrInternal/StepNotInPlan", func(t *testing.T) {
		dir := t.TempDir()
		writePlan(t, dir, "plan.json", signedRecord(t, 3, 5, 1))
		_, err := (&ui.PlanPayouts{Dir: dir, Program: "p"}).Payments(context.Background(), 2)
		if err == nil || !strings.Contains(err.Error(), "step 3 is not in the plan") {
			t.Errorf("a journal naming a step the plan lacks: %v", err)
		}
	})
	t.Run("ErrConflict/JournalOfAnotherPlan", func(t *testing.T) {
		dir := t.TempDir()
		writePlan(t, dir, "plan.json")
		j, err := payout.OpenJournal(payout.JournalPath(filepath.Join(dir, "plan.json")), "sha256:other", testNow)
		if err != nil {
			t.Fatal(err)
		}
		j.Close()
		_, err = (&ui.PlanPayouts{Dir: dir, Program: "p"}).Payments(context.Background(), 2)
		if podium.ErrorCode(err) != podium.ECONFLICT {
			t.Errorf("a journal of another plan: %v, want a conflict", err)
		}
	})
}
