package node

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/lpnet/pm"
)

// TestOrchestrator_Tickets runs a priced node on a ledger: a funded
// sender's segments are paid, credited and transcoded, winning tickets
// are redeemed; an unpaying sender is refused as go-livepeer refuses it.
func TestOrchestrator_Tickets(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(42))
	ledger := pm.NewLedger(signer.Address())
	// Tickets of 2 gwei that win half the time: a segment's 8 tickets
	// win some.
	o := &Orchestrator{Signer: signer, Price: &lpnet.PriceInfo{PricePerUnit: 1200, PixelsPerUnit: 1},
		Tickets: &Tickets{Chain: ledger, Redeemer: ledger,
			Config: pm.RecipientConfig{EV: big.NewInt(1_000_000_000), MaxFaceValue: big.NewInt(2_000_000_000), RedeemGas: 350_000, TxCostMultiplier: 100}}}
	uri := startOrchestrator(t, o)
	profiles := ladder(t, "P240p30fps16x9")

	payer := lpnet.NewSigner(lpnet.KeyFromSeed(1))
	ledger.Fund(payer.Address(), big.NewInt(1e18), big.NewInt(1e18))
	c := lpnet.NewClient(payer)
	c.Payer = lpnet.NewPayer(payer, ledger)
	info, err := c.GetOrchestrator(timeout(t), uri)
	if err != nil {
		t.Fatal(err)
	}
	var cost lpnet.Cost
	for seq, data := range [][]byte{segA, segB} {
		res, err := c.Transcode(timeout(t), info, lpnet.Segment{ManifestID: "paid", Seq: int64(seq), Data: data, Duration: 2 * time.Second, Profiles: profiles})
		if err != nil {
			t.Fatalf("segment %d: %v", seq, err)
		}
		if len(res.Renditions) != 1 || res.Renditions[0].Err != nil {
			t.Fatalf("segment %d: renditions %v", seq, res.Renditions)
		}
		cost = cost.Add(res.Cost)
	}
	// 426×240 at 30 fps for 2 s, × 1.02 × 1200 wei: 7.5 gwei, 8 tickets
	// of 1 gwei EV for the first segment. Its 60 frames cost 7.36 gwei;
	// the 0.64 gwei left means 7 tickets for the second.
	if cost.Tickets != 15 || cost.FaceValue.Cmp(big.NewInt(2_000_000_000)) != 0 {
		t.Errorf("cost %d tickets of %v wei, want 15 of 2 gwei", cost.Tickets, cost.FaceValue)
	}
	deadline := time.Now().Add(5 * time.Second)
	for ledger.Paid(signer.Address()).Sign() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if ledger.Paid(signer.Address()).Sign() == 0 {
		t.Error("no winning ticket redeemed")
	}

	unpaid := lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(2)))
	info, err = unpaid.GetOrchestrator(timeout(t), uri)
	if err == nil {
		_, err = unpaid.Transcode(timeout(t), info, lpnet.Segment{ManifestID: "free", Data: segA, Duration: 2 * time.Second, Profiles: profiles})
	}
	if err == nil || err.Error() != "GetOrchestrator: Unknown: insufficient sender reserve" {
		t.Fatalf("unfunded sender: %v", err)
	}
	ledger.Fund(unpaid.Signer.Address(), big.NewInt(1e18), big.NewInt(1e18))
	info, err = unpaid.GetOrchestrator(timeout(t), uri)
	if err != nil {
		t.Fatal(err)
	}
	_, err = unpaid.Transcode(timeout(t), info, lpnet.Segment{ManifestID: "free", Data: segA, Duration: 2 * time.Second, Profiles: profiles})
	if e, ok := err.(*lpnet.Error); !ok || e.Status != 400 || e.Err.Error() != "Insufficient balance" {
		t.Fatalf("sender that sends no tickets: %v, want 400 Insufficient balance", err)
	}
}

// TestOrchestrator_TicketsDelegated runs a priced node whose key is not the
// registered address (-ethOrchAddr): its ticket parameters name the
// registered address, and the winning tickets pay that address, not the
// node's key.
func TestOrchestrator_TicketsDelegated(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(43))
	registered := lpnet.NewSigner(lpnet.KeyFromSeed(44)).Address()
	ledger := pm.NewLedger(registered)
	o := &Orchestrator{Signer: signer, Recipient: registered, Price: &lpnet.PriceInfo{PricePerUnit: 1200, PixelsPerUnit: 1},
		Tickets: &Tickets{Chain: ledger, Redeemer: ledger,
			Config: pm.RecipientConfig{EV: big.NewInt(1_000_000_000), MaxFaceValue: big.NewInt(2_000_000_000), RedeemGas: 350_000, TxCostMultiplier: 100}}}
	uri := startOrchestrator(t, o)
	payer := lpnet.NewSigner(lpnet.KeyFromSeed(3))
	ledger.Fund(payer.Address(), big.NewInt(1e18), big.NewInt(1e18))
	c := lpnet.NewClient(payer)
	c.Payer = lpnet.NewPayer(payer, ledger)
	info, err := c.GetOrchestrator(timeout(t), uri)
	if err != nil {
		t.Fatal(err)
	}
	if got := common.BytesToAddress(info.GetTicketParams().GetRecipient()); got != registered {
		t.Fatalf("ticket recipient %s, want the registered %s", got.Hex(), registered.Hex())
	}
	for seq, data := range [][]byte{segA, segB} {
		if _, err := c.Transcode(timeout(t), info, lpnet.Segment{ManifestID: "delegated", Seq: int64(seq), Data: data, Duration: 2 * time.Second, Profiles: ladder(t, "P240p30fps16x9")}); err != nil {
			t.Fatalf("segment %d: %v", seq, err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for ledger.Paid(registered).Sign() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if ledger.Paid(registered).Sign() == 0 {
		t.Error("no winning ticket paid the registered address")
	}
	if p := ledger.Paid(signer.Address()); p.Sign() != 0 {
		t.Errorf("the node's own key was paid %v wei", p)
	}
}
