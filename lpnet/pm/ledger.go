package pm

import (
	"errors"
	"math/big"
	"slices"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Ledger is an in-process TicketBroker and RoundsManager with the
// contracts' rules: deposits and reserves, unlock and withdraw after the
// unlock period, redemption of winning tickets with the contract's checks
// and error texts, the reserve shared among the active pool per round. It
// is the chain of a node or a test that runs without one; it implements
// Chain.
type Ledger struct {
	// UnlockPeriod is the rounds between unlock and withdraw;
	// TicketValidityPeriod the rounds a ticket can be redeemed in.
	UnlockPeriod         int64
	TicketValidityPeriod int64

	mu      sync.Mutex
	round   int64
	block   *big.Int
	hashes  map[int64]common.Hash
	pool    []common.Address
	senders map[common.Address]*ledgerSender
	used    map[common.Hash]bool
	paid    map[common.Address]*big.Int
}

type ledgerSender struct {
	deposit, reserve *big.Int
	withdrawRound    int64
	claimedForRound  map[int64]*big.Int
	claimedBy        map[int64]map[common.Address]*big.Int
}

// NewLedger returns a ledger at round 1, L1 block 1000, whose active pool
// is pool, with the mainnet contracts' periods (unlock 2 rounds, tickets
// valid 2 rounds).
func NewLedger(pool ...common.Address) *Ledger {
	l := &Ledger{UnlockPeriod: 2, TicketValidityPeriod: 2, block: big.NewInt(1000),
		hashes: map[int64]common.Hash{}, pool: pool,
		senders: map[common.Address]*ledgerSender{}, used: map[common.Hash]bool{}, paid: map[common.Address]*big.Int{}}
	l.NewRound()
	return l
}

// NewRound initializes the next round with the current block's hash.
func (l *Ledger) NewRound() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.round++
	l.hashes[l.round] = crypto.Keccak256Hash([]byte("podium ledger block"), l.block.Bytes())
}

// Mine advances the L1 block number by n.
func (l *Ledger) Mine(n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.block = new(big.Int).Add(l.block, big.NewInt(n))
}

// State implements Chain.
func (l *Ledger) State() (ChainState, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return ChainState{Round: l.round, RoundBlockHash: l.hashes[l.round], L1Block: new(big.Int).Set(l.block), PoolSize: int64(len(l.pool))}, nil
}

func (l *Ledger) sender(a common.Address) *ledgerSender {
	s := l.senders[a]
	if s == nil {
		s = &ledgerSender{deposit: new(big.Int), reserve: new(big.Int), claimedForRound: map[int64]*big.Int{}, claimedBy: map[int64]map[common.Address]*big.Int{}}
		l.senders[a] = s
	}
	return s
}

// Fund adds to sender's deposit and reserve (fundDepositAndReserve); the
// sender funding itself cancels an unlock in progress.
func (l *Ledger) Fund(sender common.Address, deposit, reserve *big.Int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.sender(sender)
	s.deposit.Add(s.deposit, deposit)
	s.reserve.Add(s.reserve, reserve)
	s.withdrawRound = 0
}

// SenderInfo implements Chain (getSenderInfo).
func (l *Ledger) SenderInfo(sender common.Address) (SenderInfo, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.sender(sender)
	return SenderInfo{
		Deposit:       new(big.Int).Set(s.deposit),
		WithdrawRound: big.NewInt(s.withdrawRound),
		Reserve: ReserveInfo{
			FundsRemaining:        new(big.Int).Set(s.reserve),
			ClaimedInCurrentRound: new(big.Int).Set(orZero(s.claimedForRound[l.round])),
		},
	}, nil
}

// ClaimedReserve implements Chain (claimedReserve).
func (l *Ledger) ClaimedReserve(sender, claimant common.Address) (*big.Int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return new(big.Int).Set(orZero(l.sender(sender).claimedBy[l.round][claimant])), nil
}

// Unlock starts sender's unlock period.
func (l *Ledger) Unlock(sender common.Address) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.sender(sender)
	if s.deposit.Sign() == 0 && s.reserve.Sign() == 0 {
		return errors.New("sender deposit and reserve are zero")
	}
	if s.withdrawRound > 0 {
		return errors.New("unlock already initiated")
	}
	s.withdrawRound = l.round + l.UnlockPeriod
	return nil
}

// Withdraw pays sender its deposit and reserve once unlocked.
func (l *Ledger) Withdraw(sender common.Address) (*big.Int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.sender(sender)
	if s.deposit.Sign() == 0 && s.reserve.Sign() == 0 {
		return nil, errors.New("sender deposit and reserve are zero")
	}
	if s.withdrawRound == 0 {
		return nil, errors.New("no unlock request in progress")
	}
	if l.round < s.withdrawRound {
		return nil, errors.New("account is locked")
	}
	out := new(big.Int).Add(s.deposit, s.reserve)
	s.deposit, s.reserve = new(big.Int), new(big.Int)
	return out, nil
}

// Paid is the total winning tickets paid to recipient.
func (l *Ledger) Paid(recipient common.Address) *big.Int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return new(big.Int).Set(orZero(l.paid[recipient]))
}

// Redeem redeems a winning ticket (redeemWinningTicket): it checks the
// ticket as the TicketBroker does and pays its face value from the
// sender's deposit, then from the recipient's share of the reserve. It
// returns the amount paid.
func (l *Ledger) Redeem(t *Ticket, sig []byte, recipientRand *big.Int) (*big.Int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := t.Hash()
	switch {
	case t.Recipient == (common.Address{}):
		return nil, errors.New("ticket recipient is null address")
	case t.Sender == (common.Address{}):
		return nil, errors.New("ticket sender is null address")
	}
	if len(t.AuxData()) != 64 {
		return nil, errors.New("invalid length for ticket auxData: must be 64 bytes")
	}
	bh := l.hashes[t.CreationRound]
	if bh == (common.Hash{}) {
		return nil, errors.New("ticket creationRound does not have a block hash")
	}
	if bh != t.CreationRoundBlockHash {
		return nil, errors.New("ticket creationRoundBlockHash invalid for creationRound")
	}
	if t.CreationRound+l.TicketValidityPeriod <= l.round {
		return nil, errors.New("ticket is expired")
	}
	if crypto.Keccak256Hash(common.LeftPadBytes(recipientRand.Bytes(), 32)) != t.RecipientRandHash {
		return nil, errors.New("recipientRand does not match recipientRandHash")
	}
	if l.used[h] {
		return nil, errors.New("ticket is used")
	}
	if !VerifySig(t.Sender, h.Bytes(), sig) {
		return nil, errors.New("invalid signature over ticket hash")
	}
	if !t.Wins(sig, recipientRand) {
		return nil, errors.New("ticket did not win")
	}
	s := l.sender(t.Sender)
	if s.withdrawRound != 0 && l.round >= s.withdrawRound {
		return nil, errors.New("sender is unlocked")
	}
	if s.deposit.Sign() == 0 && s.reserve.Sign() == 0 {
		return nil, errors.New("sender deposit and reserve are zero")
	}
	l.used[h] = true
	amount := new(big.Int)
	if t.FaceValue.Cmp(s.deposit) > 0 {
		amount.Add(s.deposit, l.claimReserve(s, t.Recipient, new(big.Int).Sub(t.FaceValue, s.deposit)))
		s.deposit = new(big.Int)
	} else {
		amount.Set(t.FaceValue)
		s.deposit = new(big.Int).Sub(s.deposit, t.FaceValue)
	}
	l.paid[t.Recipient] = new(big.Int).Add(orZero(l.paid[t.Recipient]), amount)
	return amount, nil
}

// claimReserve takes up to want from s's reserve for claimant: an active
// orchestrator's share of the round's reserve, less what it claimed.
func (l *Ledger) claimReserve(s *ledgerSender, claimant common.Address, want *big.Int) *big.Int {
	if !slices.Contains(l.pool, claimant) {
		return new(big.Int)
	}
	total := new(big.Int).Add(s.reserve, orZero(s.claimedForRound[l.round]))
	claimable := total.Div(total, big.NewInt(int64(len(l.pool))))
	claimable.Sub(claimable, orZero(s.claimedBy[l.round][claimant]))
	amount := want
	if want.Cmp(claimable) > 0 {
		amount = claimable
	}
	if amount.Sign() <= 0 {
		return new(big.Int)
	}
	s.claimedForRound[l.round] = new(big.Int).Add(orZero(s.claimedForRound[l.round]), amount)
	if s.claimedBy[l.round] == nil {
		s.claimedBy[l.round] = map[common.Address]*big.Int{}
	}
	s.claimedBy[l.round][claimant] = new(big.Int).Add(orZero(s.claimedBy[l.round][claimant]), amount)
	s.reserve = new(big.Int).Sub(s.reserve, amount)
	return new(big.Int).Set(amount)
}
