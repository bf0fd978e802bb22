package ui_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/web/ui"
)

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
	signed := func(nonce uint64, hash string) payout.Record {
		return payout.Record{Kind: payout.RecordSigned, At: testNow, Step: 0, Nonce: nonce, Hash: hash}
	}
	mined := func(nonce uint64, hash string, status uint64) payout.Record {
		return payout.Record{Kind: payout.RecordMined, At: testNow.Add(time.Minute), Step: 0, Nonce: nonce, Hash: hash, Status: status}
	}
	for _, tt := range []struct {
		name         string
		recs         []payout.Record
		status, hash string
	}{
		{"OK/Planned", nil, round.PaymentPlanned, ""},
		{"OK/Sent", []payout.Record{signed(5, "0xa1")}, round.PaymentSent, "0xa1"},
		{"OK/ReplacedThenConfirmed", []payout.Record{signed(5, "0xa1"), signed(5, "0xa2"), mined(5, "0xa2", 1)}, round.PaymentConfirmed, "0xa2"},
		{"OK/Reverted", []payout.Record{signed(5, "0xa1"), mined(5, "0xa1", 0)}, round.PaymentFailed, "0xa1"},
		{"OK/RevertedThenSentAgain", []payout.Record{signed(5, "0xa1"), mined(5, "0xa1", 0), signed(6, "0xb1")}, round.PaymentSent, "0xb1"},
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
