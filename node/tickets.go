package node

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/lpnet/pm"
)

// Redeemer redeems a winning ticket on the TicketBroker and returns the
// amount paid.
type Redeemer interface {
	Redeem(t *pm.Ticket, sig []byte, recipientRand *big.Int) (*big.Int, error)
}

// Tickets make a priced orchestrator paid, as a go-livepeer orchestrator on
// chain: it sends ticket parameters, takes tickets with every segment,
// refuses work when a session's credit is short and redeems its winning
// tickets.
type Tickets struct {
	// Chain gives the senders' funds and the rounds.
	Chain  pm.Chain
	Config pm.RecipientConfig
	// GasPrice is the current gas price; nil counts as 0.
	GasPrice func() *big.Int
	// Redeemer redeems winning tickets; nil leaves them unredeemed.
	Redeemer Redeemer
}

// DefaultTicketEV is go-livepeer's default -ticketEV, in wei.
var DefaultTicketEV = big.NewInt(8_000_000_000)

// payee builds the lpnet.Payee of the orchestrator whose address the
// tickets name, with a fresh random secret as go-livepeer draws one.
func (t *Tickets) payee(o *Orchestrator, log *slog.Logger) (*lpnet.Payee, error) {
	cfg := t.Config
	if cfg.EV == nil {
		cfg.EV = DefaultTicketEV
	}
	addr := o.Signer.Address()
	if o.Recipient != (common.Address{}) {
		addr = o.Recipient
	}
	r := &pm.Recipient{Addr: addr, Chain: t.Chain, Config: cfg, GasPrice: t.GasPrice}
	if _, err := rand.Read(r.Secret[:]); err != nil {
		return nil, fmt.Errorf("ticket secret: %w", err)
	}
	p := &lpnet.Payee{Recipient: r, Logger: log}
	if t.Redeemer != nil {
		p.Won = func(w lpnet.WinningTicket) {
			r.AddPending(w.Ticket.Sender, w.Ticket.FaceValue)
			defer r.SubPending(w.Ticket.Sender, w.Ticket.FaceValue)
			paid, err := t.Redeemer.Redeem(w.Ticket, w.Sig, w.RecipientRand)
			if err != nil {
				log.Warn("redeem winning ticket", "sender", w.Ticket.Sender.Hex(), "nonce", w.Ticket.SenderNonce, "err", err)
				return
			}
			log.Info("winning ticket redeemed", "sender", w.Ticket.Sender.Hex(), "nonce", w.Ticket.SenderNonce, "paid", paid)
		}
	}
	return p, nil
}
