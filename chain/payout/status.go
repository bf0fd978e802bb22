package payout

import (
	"context"

	"github.com/ethereum/go-ethereum/ethclient"
)

// RecipientStatus is where one payment stands: what the journal says of its
// step, and whether its Transfer is on the chain.
type RecipientStatus struct {
	Paid
	Step int `json:"step"`
	// State is the step's state in the journal: new, pending, done or failed.
	State string `json:"state"`
	// Sent is the hash of the step's latest signed transaction, if any.
	Sent string `json:"sent,omitempty"`
}

// Status reports every payment of the plan from its journal and the chain.
func Status(ctx context.Context, c *ethclient.Client, p *Plan, recs []Record) ([]RecipientStatus, *Reconciliation, error) {
	prog, err := Progress(p, recs)
	if err != nil {
		return nil, nil, err
	}
	rec, err := Reconcile(ctx, c, p)
	if err != nil {
		return nil, nil, err
	}
	out := make([]RecipientStatus, len(p.Payments))
	for i, pp := range prog {
		out[i] = RecipientStatus{Paid: rec.Payments[i], Step: pp.Step, State: pp.State, Sent: pp.Sent}
	}
	return out, rec, nil
}
