package pm

import (
	"bytes"
	"math/big"
	"testing"
)

var eth = big.NewInt(1_000_000_000_000_000_000)

// world is a funded sender, a recipient in the active pool and the ledger
// both read.
type world struct {
	ledger    *Ledger
	sender    *Sender
	recipient *Recipient
}

func newWorld(t *testing.T) *world {
	t.Helper()
	rk, sk := testKey(t, 10), testKey(t, 11)
	l := NewLedger(rk.Address())
	l.Fund(sk.Address(), eth, eth)
	r := &Recipient{Addr: rk.Address(), Chain: l, Config: RecipientConfig{EV: big.NewInt(8_000_000_000), RedeemGas: 350_000, TxCostMultiplier: 100},
		Rand: bytes.NewReader(bytes.Repeat([]byte{7}, 32*100))}
	copy(r.Secret[:], "recipient secret for pm tests...")
	return &world{ledger: l, sender: NewSender(sk, l), recipient: r}
}

// params asks the recipient for parameters at price and starts a sender
// session on them.
func (w *world) params(t *testing.T, price *big.Rat) (*TicketParams, string) {
	t.Helper()
	p, err := w.recipient.TicketParams(w.sender.Signer.Address(), price)
	if err != nil {
		t.Fatal(err)
	}
	return p, w.sender.StartSession(*p)
}
