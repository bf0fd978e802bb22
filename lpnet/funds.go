package lpnet

import (
	"fmt"
	"math/big"

	"github.com/podiumhq/podium/lpnet/pm"
)

// FundsError says the payer's funds on the TicketBroker cannot pay for a
// cycle of tests, and what it takes.
type FundsError struct {
	Sender           string
	Deposit, Reserve *big.Int
	// Need is the deposit the cycle needs.
	Need *big.Int
	Err  error
}

// Error implements error.
func (e *FundsError) Error() string {
	return fmt.Sprintf("sender %s cannot pay: %v (deposit %v wei, reserve %v wei; needed: a deposit of at least %v wei and a reserve above 0, not unlocking); fund the sender's deposit and reserve on the TicketBroker",
		e.Sender, e.Err, e.Deposit, e.Reserve, e.Need)
}

// Unwrap returns the cause.
func (e *FundsError) Unwrap() error { return e.Err }

// CheckFunds checks the payer's funds on chain before a cycle: the checks
// go-livepeer's sender makes before each ticket (not unlocking, a reserve,
// a deposit) and a deposit of at least need wei. Its refusal is a
// *FundsError naming the amount needed.
func (p *Payer) CheckFunds(need *big.Int) error {
	addr := p.Sender.Signer.Address()
	info, err := p.Sender.Chain.SenderInfo(addr)
	if err != nil {
		return fmt.Errorf("read sender %s funds: %w", addr.Hex(), err)
	}
	st, err := p.Sender.Chain.State()
	if err != nil {
		return fmt.Errorf("read round: %w", err)
	}
	if need == nil {
		need = new(big.Int)
	}
	fe := &FundsError{Sender: addr.Hex(), Deposit: info.Deposit, Reserve: info.Reserve.FundsRemaining, Need: need}
	if err := pm.CheckSenderFunds(info, st.Round); err != nil {
		fe.Err = err
		return fe
	}
	if info.Deposit.Cmp(need) < 0 {
		fe.Err = fmt.Errorf("deposit below the %v wei a cycle may cost", need)
		return fe
	}
	return nil
}

// CycleCost bounds what testing orchestrators orchestrators costs at price
// wei per pixel: each test's segments segments of the profiles, duration
// seconds long, at go-livepeer's fee estimate, rounded up to a wei.
func CycleCost(orchestrators, segments int, profiles []*VideoProfile, seconds float64, price *big.Rat) *big.Int {
	fee := pm.EstimateFee(estimatePixels(profiles, seconds), price)
	fee.Mul(fee, big.NewRat(int64(orchestrators*segments), 1))
	q, m := new(big.Int).QuoRem(fee.Num(), fee.Denom(), new(big.Int))
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}
