package ui

import (
	"context"
	"sort"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
	"github.com/podiumhq/podium/round"
)

// PlanPayouts reports payout status from the files the payout keeps: the
// plans `podium payout plan` writes into Dir and the journals `podium payout
// execute` appends next to them, replayed by the payout package as execute
// replays them. It needs no chain access: a payment is sent once its
// transaction is signed and journaled, confirmed once the journal holds a
// successful receipt, failed when it reverted (until signed again).
// `podium payout reconcile` remains the check against the token's logs.
type PlanPayouts struct {
	Dir     string // where the plans (any file name) and their journals are
	Program string // the program whose plans count
}

var _ round.Payouts = (*PlanPayouts)(nil)

// statuses are the round's names for the journal's step states.
var statuses = map[string]string{
	payout.StateNew:     round.PaymentPlanned,
	payout.StatePending: round.PaymentSent,
	payout.StateDone:    round.PaymentConfirmed,
	payout.StateFailed:  round.PaymentFailed,
}

// Payments returns the payments of round id's plan with their status, sorted
// by recipient; none when no plan for the round is in Dir.
func (pp *PlanPayouts) Payments(ctx context.Context, id int) ([]round.Payment, error) {
	plan, recs, err := payout.FindPlan(pp.Dir, pp.Program, id)
	if podium.ErrorCode(err) == podium.ENOTFOUND {
		return nil, nil // not planned yet: the round shows no payments
	}
	if err != nil {
		return nil, err
	}
	prog, err := payout.Progress(plan, recs)
	if err != nil {
		return nil, podium.Errorf(podium.EINTERNAL, "payout journal of %s round %d: %w", pp.Program, id, err)
	}
	out := make([]round.Payment, len(plan.Payments))
	for i, p := range plan.Payments {
		out[i] = round.Payment{Recipient: p.Recipient, Amount: p.Amount, Status: statuses[prog[i].State], TxHash: prog[i].Hash()}
		if p.To != p.Recipient {
			out[i].PayTo = p.To
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Recipient < out[j].Recipient })
	return out, nil
}
