package payout

// PaymentProgress is where one payment of a plan stands by its journal
// alone: no chain is asked, so it is what was signed and what receipts came
// back, not proof of a transfer (Reconcile is that).
type PaymentProgress struct {
	// Step is the plan step that pays it; -1 when no step does.
	Step int
	// State is the step's state: StateNew, StatePending, StateDone or StateFailed.
	State string
	// Sent is the hash of the step's latest signed transaction, if any.
	Sent string
	// Mined is the hash of the transaction whose receipt the journal holds
	// (a replacement or the original, whichever was mined), if any.
	Mined string
}

// Hash is the transaction to show for the payment: the mined one once a
// receipt is in, else the latest signed.
func (p PaymentProgress) Hash() string {
	if p.Mined != "" {
		return p.Mined
	}
	return p.Sent
}

// Progress replays the journal records recs of plan p, as execute does when
// it resumes, and returns each payment's progress in the plan's order.
func Progress(p *Plan, recs []Record) ([]PaymentProgress, error) {
	states, _, _, err := replay(recs, len(p.Steps))
	if err != nil {
		return nil, err
	}
	out := make([]PaymentProgress, len(p.Payments))
	for i := range out {
		out[i] = PaymentProgress{Step: -1, State: StateNew}
	}
	for i, st := range p.Steps {
		s := states[i]
		pp := PaymentProgress{Step: i, State: s.state()}
		if len(s.variants) > 0 {
			pp.Sent = s.last().Hash().Hex()
		}
		if s.mined != nil {
			pp.Mined = s.mined.Hash
		}
		for _, pi := range st.Payments {
			if pi >= 0 && pi < len(out) {
				out[pi] = pp
			}
		}
	}
	return out, nil
}
