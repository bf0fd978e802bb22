package lpnet

import (
	"errors"
	"fmt"
	"log/slog"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium/lpnet/pm"
)

// ErrInsufficientBalance is go-livepeer's answer (400) to a segment whose
// session has less credit than one ticket's expected value.
//
//lint:ignore ST1005 go-livepeer's text, which its broadcasters match
var ErrInsufficientBalance = errors.New("Insufficient balance")

// WinningTicket is a ticket that won, with what redeeming it takes.
type WinningTicket struct {
	Ticket        *pm.Ticket
	Sig           []byte
	RecipientRand *big.Int
	Session       string
}

// Payee is the paid side of a Server: it issues ticket parameters, takes
// the tickets of each segment's payment as go-livepeer's orchestrator does
// (ProcessPayment), keeps the credit of each session and hands winning
// tickets to Won.
type Payee struct {
	Recipient *pm.Recipient
	Balances  pm.Balances
	// Won receives each winning ticket, in a goroutine of its own; nil
	// drops them.
	Won    func(WinningTicket)
	Logger *slog.Logger
}

func (p *Payee) logger() *slog.Logger {
	if p.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Logger
}

// ticketParams are the parameters sender's tickets must carry at price.
func (p *Payee) ticketParams(sender common.Address, price *PriceInfo) (*TicketParams, error) {
	r, err := PriceRat(price)
	if err != nil {
		return nil, err
	}
	if r == nil {
		r = new(big.Rat)
	}
	tp, err := p.Recipient.TicketParams(sender, r)
	if err != nil {
		return nil, err
	}
	return wireTicketParams(tp), nil
}

// processPayment credits session with the expected value of each ticket of
// payment, as go-livepeer's ProcessPayment does: a payment without tickets
// credits nothing; a fatal refusal stops at once; after any other refusal
// no further ticket is credited, and the first refusal is the answer.
func (p *Payee) processPayment(payment *Payment, session string) error {
	if payment.GetTicketParams() == nil {
		return nil
	}
	if len(payment.GetSender()) == 0 {
		//lint:ignore ST1005 go-livepeer's text
		return errors.New("Could not find Sender for payment")
	}
	sender := common.BytesToAddress(payment.GetSender())
	price, err := PriceRat(payment.GetExpectedPrice())
	if err != nil {
		return fmt.Errorf("invalid expected price sent with payment err=%q", err)
	}
	if price == nil {
		return fmt.Errorf("invalid expected price sent with payment err=%q", "expected price is nil")
	}
	params := pmTicketParams(payment.GetTicketParams(), price)
	params.Expiration = pm.ExpirationParams{
		CreationRound:          payment.GetExpirationParams().GetCreationRound(),
		CreationRoundBlockHash: common.BytesToHash(payment.GetExpirationParams().GetCreationRoundBlockHash()),
	}
	log := p.logger().With("sender", sender.Hex(), "session", session)
	var refused error
	credited, won := 0, 0
	for _, tsp := range payment.GetTicketSenderParams() {
		t := pm.NewTicket(&params, sender, tsp.GetSenderNonce())
		w, err := p.Recipient.ReceiveTicket(t, tsp.GetSig(), params.Seed)
		if err != nil {
			log.Info("ticket refused", "nonce", t.SenderNonce, "err", err)
			var fatal *pm.FatalReceiveError
			if errors.As(err, &fatal) {
				return err
			}
			if refused == nil {
				refused = err
			}
		}
		if refused == nil {
			p.Balances.Credit(sender, session, t.EV())
			credited++
		}
		if w {
			won++
			if p.Won != nil {
				wt := WinningTicket{Ticket: t, Sig: tsp.GetSig(), RecipientRand: p.Recipient.RecipientRand(t, params.Seed), Session: session}
				go p.Won(wt)
			}
		}
	}
	log.Debug("payment", "tickets", len(payment.GetTicketSenderParams()), "credited", credited, "won", won,
		"face_value", params.FaceValue, "balance", p.Balances.Balance(sender, session).FloatString(3))
	return refused
}

// sufficient reports whether session has at least one ticket's expected
// value of credit.
func (p *Payee) sufficient(sender common.Address, session string) bool {
	return p.Balances.Balance(sender, session).Cmp(p.Recipient.EV()) >= 0
}

// debit charges session pixels at price.
func (p *Payee) debit(sender common.Address, session string, price *big.Rat, pixels int64) {
	p.Balances.Debit(sender, session, new(big.Rat).Mul(price, big.NewRat(pixels, 1)))
}
