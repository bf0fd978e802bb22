package pm

import (
	"errors"
	"math/big"
	"strings"
	"testing"
)

func TestSender_CreateTicketBatch(t *testing.T) {
	w := newWorld(t)
	p, id := w.params(t, big.NewRat(1200, 1))
	for round, want := range [][]uint32{{1, 2, 3}, {4, 5}} {
		b, err := w.sender.CreateTicketBatch(id, len(want))
		if err != nil {
			t.Fatal(err)
		}
		for i, tk := range b.Tickets() {
			if tk.SenderNonce != want[i] {
				t.Errorf("batch %d ticket %d: nonce %d, want %d", round, i, tk.SenderNonce, want[i])
			}
			if tk.Recipient != p.Recipient || tk.FaceValue.Cmp(p.FaceValue) != 0 || tk.ExpirationParams != p.Expiration {
				t.Errorf("ticket %d does not carry the parameters", i)
			}
			if !VerifySig(w.sender.Signer.Address(), tk.Hash().Bytes(), b.SenderParams[i].Sig) {
				t.Errorf("ticket %d: signature does not verify over its hash", i)
			}
		}
	}
	// A new session on fresh parameters starts at nonce 1 again.
	_, id2 := w.params(t, big.NewRat(1200, 1))
	b, err := w.sender.CreateTicketBatch(id2, 1)
	if err != nil || b.SenderParams[0].Nonce != 1 {
		t.Fatalf("new session: %v, nonce %v", err, b)
	}
}

func TestSender_ValidateTicketParams(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(w *world, p *TicketParams)
		n    int
		want string
	}{
		{"OK", func(*world, *TicketParams) {}, 1, ""},
		{"ErrNoExpiration", func(_ *world, p *TicketParams) { p.ExpirationBlock = big.NewInt(0) }, 1, "ticketParams expiration block is 0"},
		{"ErrExpired", func(w *world, _ *TicketParams) { w.ledger.Mine(39) }, 1, "TicketParams expired"},
		{"ErrFaceTooLow", func(_ *world, p *TicketParams) { p.WinProb = MaxWinProb }, 1, "ticket faceValue too low faceValue=800000000000"},
		{"ErrMaxEV", func(_ *world, p *TicketParams) { p.FaceValue = new(big.Int).Mul(p.FaceValue, big.NewInt(1000)) }, 1, "ticket EV 8000000000000.00000 > max ticket EV 3000000000000.00000"},
		{"ErrMaxTotalEV", func(*world, *TicketParams) {}, 2501, "total ticket EV 20008000000000.00000 for 2501 tickets > max total ticket EV 20000000000000.00000"},
		{"ErrMaxFace", func(w *world, p *TicketParams) {
			w.sender.DepositMultiplier = 2_000_000
		}, 1, "ticket faceValue 800000000000 > max faceValue 500000000000"},
		{"ErrUnlocking", func(w *world, _ *TicketParams) {
			if err := w.ledger.Unlock(w.sender.Signer.Address()); err != nil {
				panic(err)
			}
			// Unlocked from round 3: "soon" from round 2.
			w.ledger.NewRound()
		}, 1, "unable to validate sender: deposit and reserve is set to unlock soon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			p, _ := w.params(t, big.NewRat(1200, 1))
			tc.edit(w, p)
			err := w.sender.ValidateTicketParams(p, tc.n)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSender_ValidateTicketParams_Unfunded(t *testing.T) {
	for _, tc := range []struct {
		name             string
		deposit, reserve int64
		want             string
	}{
		{"ErrNoReserve", 1e18, 0, "no sender reserve"},
		{"ErrNoDeposit", 0, 1e18, "no sender deposit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			p, _ := w.params(t, big.NewRat(1200, 1))
			// A second sender with other funds uses the same parameters.
			s := NewSender(testKey(t, 12), w.ledger)
			w.ledger.Fund(s.Signer.Address(), big.NewInt(tc.deposit), big.NewInt(tc.reserve))
			err := s.ValidateTicketParams(p, 1)
			var sv *SenderValidationError
			if !errors.As(err, &sv) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a SenderValidationError %q", err, tc.want)
			}
		})
	}
}
