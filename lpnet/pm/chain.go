package pm

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// SenderInfo is the TicketBroker's getSenderInfo for one sender.
type SenderInfo struct {
	Deposit *big.Int
	// WithdrawRound is the round from which the sender may withdraw; 0
	// while no unlock is in progress.
	WithdrawRound *big.Int
	Reserve       ReserveInfo
}

// Unlocking reports whether the sender has started an unlock of its funds
// (and not cancelled it).
func (s SenderInfo) Unlocking() bool { return s.WithdrawRound != nil && s.WithdrawRound.Sign() != 0 }

// Withdrawable reports whether the sender may withdraw its funds in round:
// its unlock period has ended.
func (s SenderInfo) Withdrawable(round int64) bool {
	return s.Unlocking() && s.WithdrawRound.Cmp(big.NewInt(round)) <= 0
}

// ReserveInfo is the reserve part of SenderInfo.
type ReserveInfo struct {
	FundsRemaining        *big.Int
	ClaimedInCurrentRound *big.Int
}

// ChainState is what go-livepeer's time manager knows: the last initialized
// round and the L1 block hash it was initialized with, the last L1 block
// seen, and the size of the active orchestrator pool.
type ChainState struct {
	Round          int64
	RoundBlockHash common.Hash
	L1Block        *big.Int
	PoolSize       int64
}

// Chain is what senders and recipients read from the chain: the
// TicketBroker's views and the rounds.
type Chain interface {
	SenderInfo(sender common.Address) (SenderInfo, error)
	// ClaimedReserve is what claimant has claimed from sender's reserve
	// in the current round.
	ClaimedReserve(sender, claimant common.Address) (*big.Int, error)
	State() (ChainState, error)
}
