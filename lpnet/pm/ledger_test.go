package pm

import (
	"math/big"
	"testing"
)

// winner returns a ticket that always wins (face value = EV, which
// go-livepeer's sender would refuse to make: the test signs it itself) and
// its recipient rand.
func (w *world) winner(t *testing.T) (*Ticket, []byte, *big.Int) {
	t.Helper()
	w.recipient.Config.MaxFaceValue = w.recipient.Config.EV
	p, _ := w.params(t, big.NewRat(1200, 1))
	if p.WinProb.Cmp(MaxWinProb) != 0 {
		t.Fatalf("win prob %v, want the maximum", p.WinProb)
	}
	tk := NewTicket(p, w.sender.Signer.Address(), 1)
	sig, err := w.sender.Signer.SignText(tk.Hash().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	won, err := w.recipient.ReceiveTicket(tk, sig, p.Seed)
	if err != nil || !won {
		t.Fatalf("won %v, %v", won, err)
	}
	return tk, sig, w.recipient.RecipientRand(tk, p.Seed)
}

func TestLedger_Redeem(t *testing.T) {
	w := newWorld(t)
	tk, sig, rnd := w.winner(t)
	paid, err := w.ledger.Redeem(tk, sig, rnd)
	if err != nil || paid.Cmp(tk.FaceValue) != 0 {
		t.Fatalf("paid %v, %v; want %v", paid, err, tk.FaceValue)
	}
	info, _ := w.ledger.SenderInfo(tk.Sender)
	if want := new(big.Int).Sub(eth, tk.FaceValue); info.Deposit.Cmp(want) != 0 {
		t.Errorf("deposit %v, want %v", info.Deposit, want)
	}
	if w.ledger.Paid(tk.Recipient).Cmp(tk.FaceValue) != 0 {
		t.Errorf("recipient paid %v", w.ledger.Paid(tk.Recipient))
	}
	if _, err := w.ledger.Redeem(tk, sig, rnd); err == nil || err.Error() != "ticket is used" {
		t.Errorf("second redemption: %v, want ticket is used", err)
	}
}

func TestLedger_Redeem_Reserve(t *testing.T) {
	w := newWorld(t)
	tk, sig, rnd := w.winner(t)
	// Empty the deposit but 1 wei: the rest comes from the reserve.
	w.ledger.senders[tk.Sender].deposit = big.NewInt(1)
	paid, err := w.ledger.Redeem(tk, sig, rnd)
	if err != nil || paid.Cmp(tk.FaceValue) != 0 {
		t.Fatalf("paid %v, %v", paid, err)
	}
	claimed, _ := w.ledger.ClaimedReserve(tk.Sender, tk.Recipient)
	info, _ := w.ledger.SenderInfo(tk.Sender)
	if want := new(big.Int).Sub(tk.FaceValue, big.NewInt(1)); claimed.Cmp(want) != 0 || info.Reserve.ClaimedInCurrentRound.Cmp(want) != 0 || info.Deposit.Sign() != 0 {
		t.Errorf("claimed %v (%v this round), deposit %v; want %v from the reserve", claimed, info.Reserve.ClaimedInCurrentRound, info.Deposit, want)
	}
}

func TestLedger_Redeem_Err(t *testing.T) {
	forger := testKey(t, 40)
	for _, tc := range []struct {
		name string
		edit func(w *world, tk *Ticket, sig []byte, rnd *big.Int) ([]byte, *big.Int)
		want string
	}{
		{"ErrExpired", func(w *world, _ *Ticket, sig []byte, rnd *big.Int) ([]byte, *big.Int) {
			w.ledger.NewRound()
			w.ledger.NewRound()
			return sig, rnd
		}, "ticket is expired"},
		{"ErrBlockHash", func(_ *world, tk *Ticket, sig []byte, rnd *big.Int) ([]byte, *big.Int) {
			tk.CreationRoundBlockHash[0] ^= 1
			return sig, rnd
		}, "ticket creationRoundBlockHash invalid for creationRound"},
		{"ErrRand", func(_ *world, _ *Ticket, sig []byte, rnd *big.Int) ([]byte, *big.Int) {
			return sig, new(big.Int).Add(rnd, big.NewInt(1))
		}, "recipientRand does not match recipientRandHash"},
		{"ErrSig", func(_ *world, tk *Ticket, _ []byte, rnd *big.Int) ([]byte, *big.Int) {
			sig, _ := forger.SignText(tk.Hash().Bytes())
			return sig, rnd
		}, "invalid signature over ticket hash"},
		{"ErrUnlocked", func(w *world, tk *Ticket, sig []byte, rnd *big.Int) ([]byte, *big.Int) {
			w.ledger.TicketValidityPeriod = 5
			_ = w.ledger.Unlock(tk.Sender)
			w.ledger.NewRound()
			w.ledger.NewRound()
			return sig, rnd
		}, "sender is unlocked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tk, sig, rnd := w.winner(t)
			sig, rnd = tc.edit(w, tk, sig, rnd)
			if _, err := w.ledger.Redeem(tk, sig, rnd); err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestLedger_Withdraw(t *testing.T) {
	w := newWorld(t)
	s := w.sender.Signer.Address()
	if _, err := w.ledger.Withdraw(s); err == nil || err.Error() != "no unlock request in progress" {
		t.Fatalf("withdraw before unlock: %v", err)
	}
	if err := w.ledger.Unlock(s); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ledger.Withdraw(s); err == nil || err.Error() != "account is locked" {
		t.Fatalf("withdraw during unlock: %v", err)
	}
	w.ledger.NewRound()
	w.ledger.NewRound()
	got, err := w.ledger.Withdraw(s)
	if err != nil || got.Cmp(new(big.Int).Mul(eth, big.NewInt(2))) != 0 {
		t.Fatalf("withdrew %v, %v; want 2 ETH", got, err)
	}
}
