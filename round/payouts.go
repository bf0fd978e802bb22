package round

import "context"

// Payouts reports how far a round's payout has gone.
type Payouts interface {
	// Payments returns the round's planned payments with their status,
	// sorted by recipient; an empty list when no payout is planned yet.
	Payments(ctx context.Context, round int) ([]Payment, error)
}

// Payment states, in the order a payment goes through them.
const (
	PaymentPlanned   = "planned"
	PaymentSigned    = "signed"
	PaymentSent      = "sent"
	PaymentConfirmed = "confirmed"
	PaymentFailed    = "failed"
)

// Payment is one transfer of a round's payout.
type Payment struct {
	Recipient string // the orchestrator's address
	PayTo     string // where the tokens go when not Recipient
	Amount    string // base units, a decimal string
	Status    string // one of the Payment* states
	TxHash    string // empty until signed
}

// allConfirmed reports whether a payout is planned and every payment
// confirmed.
func allConfirmed(pays []Payment) bool {
	for _, p := range pays {
		if p.Status != PaymentConfirmed {
			return false
		}
	}
	return len(pays) > 0
}

// TracksPayouts reports whether the service knows payout progress.
func (s *Service) TracksPayouts() bool { return s.Payouts != nil }
