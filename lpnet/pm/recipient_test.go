package pm

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestRecipient_TicketParams(t *testing.T) {
	w := newWorld(t)
	st, _ := w.ledger.State()
	p, _ := w.params(t, big.NewRat(1200, 1))
	// Gas price 0: the face value is EV × 100.
	if want := big.NewInt(800_000_000_000); p.FaceValue.Cmp(want) != 0 {
		t.Errorf("face value %v, want %v", p.FaceValue, want)
	}
	// The win probability makes a ticket worth EV, rounded up by less
	// than a wei.
	ev := p.EV()
	if ev.Cmp(w.recipient.EV()) < 0 || new(big.Rat).Sub(ev, w.recipient.EV()).Cmp(big.NewRat(1, 1)) >= 0 {
		t.Errorf("ticket EV %s, want %s", ev.FloatString(3), w.recipient.EV().FloatString(3))
	}
	if want := big.NewInt(1040); p.ExpirationBlock.Cmp(want) != 0 {
		t.Errorf("expiration block %v, want %v", p.ExpirationBlock, want)
	}
	if p.Expiration.CreationRound != st.Round || p.Expiration.CreationRoundBlockHash != st.RoundBlockHash {
		t.Errorf("expiration params %+v, want round %d", p.Expiration, st.Round)
	}
	if p.Recipient != w.recipient.Addr || p.Seed.Sign() == 0 || p.RecipientRandHash == (common.Hash{}) {
		t.Errorf("params %+v", p)
	}

	free, err := w.recipient.TicketParams(w.sender.Signer.Address(), new(big.Rat))
	if err != nil || free.FaceValue.Sign() != 0 || free.WinProb.Sign() != 0 {
		t.Errorf("free params: %+v, %v", free, err)
	}
}

func TestRecipient_TicketParams_FaceValue(t *testing.T) {
	w := newWorld(t)
	sender := w.sender.Signer.Address()
	// 10 gwei × 350000 gas × 100 = 0.35 ETH, below the sender's 1 ETH
	// reserve (one orchestrator in the pool).
	w.recipient.GasPrice = func() *big.Int { return big.NewInt(10_000_000_000) }
	p, err := w.recipient.TicketParams(sender, big.NewRat(1, 1))
	if err != nil || p.FaceValue.Cmp(big.NewInt(350_000_000_000_000_000)) != 0 {
		t.Fatalf("face value %v, %v; want 0.35 ETH", p.FaceValue, err)
	}
	// The sender's max float caps it: its reserve share.
	w2 := newWorld(t)
	w2.recipient.GasPrice = w.recipient.GasPrice
	s2 := testKey(t, 13).Address()
	w2.ledger.Fund(s2, eth, big.NewInt(100_000_000_000_000_000))
	if p, err := w2.recipient.TicketParams(s2, big.NewRat(1, 1)); err != nil || p.FaceValue.Cmp(big.NewInt(100_000_000_000_000_000)) != 0 {
		t.Fatalf("capped face value %v, %v; want 0.1 ETH", p, err)
	}
}

func TestRecipient_TicketParams_ErrUnfunded(t *testing.T) {
	w := newWorld(t)
	for i, reserve := range []int64{0, 7_999_999_999} {
		name := []string{"NoReserve", "BelowEV"}[i]
		s := testKey(t, byte(20+i)).Address()
		w.ledger.Fund(s, eth, big.NewInt(reserve))
		if _, err := w.recipient.TicketParams(s, big.NewRat(1200, 1)); !errors.Is(err, ErrInsufficientSenderReserve) {
			t.Errorf("%s: err = %v, want %q", name, err, ErrInsufficientSenderReserve)
		}
	}
}

// receive makes one ticket of the session and hands it to the recipient,
// after edit has had a go at it.
func (w *world) receive(t *testing.T, p *TicketParams, id string, edit func(tk *Ticket, sig *[]byte, seed **big.Int)) (bool, error) {
	t.Helper()
	b, err := w.sender.CreateTicketBatch(id, 1)
	if err != nil {
		t.Fatal(err)
	}
	tk, sig, seed := b.Tickets()[0], b.SenderParams[0].Sig, p.Seed
	if edit != nil {
		edit(tk, &sig, &seed)
	}
	return w.recipient.ReceiveTicket(tk, sig, seed)
}

func TestRecipient_ReceiveTicket(t *testing.T) {
	w := newWorld(t)
	p, id := w.params(t, big.NewRat(1200, 1))
	for range 3 {
		if _, err := w.receive(t, p, id, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRecipient_ReceiveTicket_Err(t *testing.T) {
	other := testKey(t, 30)
	for _, tc := range []struct {
		name  string
		edit  func(w *world, tk *Ticket, sig *[]byte, seed **big.Int)
		want  error
		fatal bool
	}{
		{"ErrForgedSignature", func(_ *world, tk *Ticket, sig *[]byte, _ **big.Int) {
			*sig, _ = other.SignText(tk.Hash().Bytes())
		}, ErrInvalidTicketSignature, false},
		{"ErrAlteredTicket", func(_ *world, tk *Ticket, _ *[]byte, _ **big.Int) {
			tk.SenderNonce += 1000
		}, ErrInvalidTicketSignature, false},
		{"ErrWrongRecipient", func(_ *world, tk *Ticket, _ *[]byte, _ **big.Int) {
			tk.Recipient = other.Address()
		}, ErrInvalidTicketRecipient, true},
		{"ErrWrongRandHash", func(_ *world, tk *Ticket, _ *[]byte, _ **big.Int) {
			tk.RecipientRandHash[0] ^= 1
		}, ErrInvalidTicketRecipientRand, true},
		{"ErrOtherSeed", func(_ *world, _ *Ticket, _ *[]byte, seed **big.Int) {
			*seed = new(big.Int).Add(*seed, big.NewInt(1))
		}, ErrInvalidTicketRecipientRand, true},
		{"ErrLowerPrice", func(_ *world, tk *Ticket, _ *[]byte, _ **big.Int) {
			tk.PricePerPixel = big.NewRat(1, 1)
		}, ErrInvalidTicketRecipientRand, true},
		{"ErrNoSender", func(_ *world, tk *Ticket, _ *[]byte, _ **big.Int) {
			tk.Sender = common.Address{}
		}, ErrInvalidTicketSender, true},
		{"ErrExpired", func(w *world, _ *Ticket, _ *[]byte, _ **big.Int) {
			w.ledger.Mine(40)
		}, ErrTicketParamsExpired, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			p, id := w.params(t, big.NewRat(1200, 1))
			_, err := w.receive(t, p, id, func(tk *Ticket, sig *[]byte, seed **big.Int) { tc.edit(w, tk, sig, seed) })
			if !errors.Is(err, tc.want) || err.Error() != tc.want.Error() {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			var fe *FatalReceiveError
			if errors.As(err, &fe) != tc.fatal {
				t.Errorf("fatal = %v, want %v", !tc.fatal, tc.fatal)
			}
		})
	}
}

func TestRecipient_ReceiveTicket_ErrReused(t *testing.T) {
	w := newWorld(t)
	p, id := w.params(t, big.NewRat(1200, 1))
	b, err := w.sender.CreateTicketBatch(id, 1)
	if err != nil {
		t.Fatal(err)
	}
	tk, sig := b.Tickets()[0], b.SenderParams[0].Sig
	if _, err := w.recipient.ReceiveTicket(tk, sig, p.Seed); err != nil {
		t.Fatal(err)
	}
	_, err = w.recipient.ReceiveTicket(tk, sig, p.Seed)
	want := "invalid ticket senderNonce: already seen sender=" + w.sender.Signer.Address().Hex() + " nonce=1"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

func TestRecipient_ReceiveTicket_ErrUnlocking(t *testing.T) {
	w := newWorld(t)
	p, id := w.params(t, big.NewRat(1200, 1))
	if err := w.ledger.Unlock(w.sender.Signer.Address()); err != nil {
		t.Fatal(err)
	}
	w.ledger.NewRound()
	// The sender's own check would stop it; a dishonest one sends anyway.
	w.sender.sessions[id].params.ExpirationBlock = p.ExpirationBlock
	tk := NewTicket(p, w.sender.Signer.Address(), 1)
	sig, _ := w.sender.Signer.SignText(tk.Hash().Bytes())
	_, err := w.recipient.ReceiveTicket(tk, sig, p.Seed)
	want := "deposit and reserve for sender " + w.sender.Signer.Address().Hex() + " is set to unlock soon"
	var fe *FatalReceiveError
	if !errors.As(err, &fe) || err.Error() != want {
		t.Fatalf("err = %v, want fatal %q", err, want)
	}
}

func TestRecipient_ForgetExpired(t *testing.T) {
	w := newWorld(t)
	p, id := w.params(t, big.NewRat(1200, 1))
	if _, err := w.receive(t, p, id, nil); err != nil {
		t.Fatal(err)
	}
	w.ledger.Mine(40)
	// Issuing parameters after the expiration forgets the old nonces; the
	// old tickets are refused as expired all the same.
	w.params(t, big.NewRat(1200, 1))
	if n := len(w.recipient.nonces); n != 0 {
		t.Fatalf("%d nonce sets kept after their parameters expired", n)
	}
	tk := NewTicket(p, w.sender.Signer.Address(), 1)
	sig, _ := w.sender.Signer.SignText(tk.Hash().Bytes())
	if _, err := w.recipient.ReceiveTicket(tk, sig, p.Seed); !errors.Is(err, ErrTicketParamsExpired) {
		t.Fatalf("replay after expiry: %v", err)
	}
}
