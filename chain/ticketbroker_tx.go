package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium/chain/contracts"
	"github.com/podiumhq/podium/lpnet/pm"
)

// FundDepositAndReserve adds deposit and reserve wei to key's sender
// funds.
func (b *TicketBroker) FundDepositAndReserve(ctx context.Context, key *ecdsa.PrivateKey, deposit, reserve *big.Int) (*types.Receipt, error) {
	return b.transact(ctx, key, b.Broker, contracts.TicketBroker, new(big.Int).Add(deposit, reserve), "fundDepositAndReserve", deposit, reserve)
}

// Unlock starts the unlock period of key's funds.
func (b *TicketBroker) Unlock(ctx context.Context, key *ecdsa.PrivateKey) (*types.Receipt, error) {
	return b.transact(ctx, key, b.Broker, contracts.TicketBroker, nil, "unlock")
}

// CancelUnlock cancels an unlock in progress.
func (b *TicketBroker) CancelUnlock(ctx context.Context, key *ecdsa.PrivateKey) (*types.Receipt, error) {
	return b.transact(ctx, key, b.Broker, contracts.TicketBroker, nil, "cancelUnlock")
}

// Withdraw pays key's unlocked deposit and reserve back to it.
func (b *TicketBroker) Withdraw(ctx context.Context, key *ecdsa.PrivateKey) (*types.Receipt, error) {
	return b.transact(ctx, key, b.Broker, contracts.TicketBroker, nil, "withdraw")
}

// InitializeRound initializes the current round.
func (b *TicketBroker) InitializeRound(ctx context.Context, key *ecdsa.PrivateKey) (*types.Receipt, error) {
	return b.transact(ctx, key, b.Rounds, contracts.RoundsManager, nil, "initializeRound")
}

// wireTicket is a ticket as the TicketBroker's Ticket tuple.
type wireTicket struct {
	Recipient         common.Address
	Sender            common.Address
	FaceValue         *big.Int
	WinProb           *big.Int
	SenderNonce       *big.Int
	RecipientRandHash [32]byte
	AuxData           []byte
}

// RedeemWinningTicket redeems t from key's account and returns the amount
// the broker paid (its WinningTicketTransfer). A refusal carries the
// contract's reason ("ticket is used", "ticket is expired", ...).
func (b *TicketBroker) RedeemWinningTicket(ctx context.Context, key *ecdsa.PrivateKey, t *pm.Ticket, sig []byte, recipientRand *big.Int) (*big.Int, error) {
	w := wireTicket{t.Recipient, t.Sender, t.FaceValue, t.WinProb, new(big.Int).SetUint64(uint64(t.SenderNonce)), t.RecipientRandHash, t.AuxData()}
	r, err := b.transact(ctx, key, b.Broker, contracts.TicketBroker, nil, "redeemWinningTicket", w, sig, recipientRand)
	if err != nil {
		return nil, err
	}
	transfer := contracts.ABI(contracts.TicketBroker).Events["WinningTicketTransfer"].ID
	for _, l := range r.Logs {
		if l.Address == b.Broker && len(l.Topics) == 3 && l.Topics[0] == transfer {
			return new(big.Int).SetBytes(l.Data), nil
		}
	}
	return new(big.Int), nil
}

// Redeemer redeems winning tickets with Key (a node.Redeemer), one at a
// time as go-livepeer's redemption queue does: two transactions from one
// key at once would race for a nonce.
type Redeemer struct {
	Broker *TicketBroker
	Key    *ecdsa.PrivateKey
	// Timeout bounds one redemption; 0 means a minute.
	Timeout time.Duration

	mu sync.Mutex
}

// Redeem redeems t.
func (r *Redeemer) Redeem(t *pm.Ticket, sig []byte, recipientRand *big.Int) (*big.Int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.Timeout
	if d <= 0 {
		d = time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return r.Broker.RedeemWinningTicket(ctx, r.Key, t, sig, recipientRand)
}

// Simulate runs a TicketBroker method from from without sending it: nil
// when the contract would accept it, else its reason.
func (b *TicketBroker) Simulate(ctx context.Context, from common.Address, value *big.Int, method string, args ...any) error {
	data, err := contracts.ABI(contracts.TicketBroker).Pack(method, args...)
	if err != nil {
		return fmt.Errorf("pack %s: %w", method, err)
	}
	if _, err := b.Client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &b.Broker, Value: value, Data: data}); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

// transact sends a call of method on the named contract at to from key,
// with value wei, and waits for it to succeed. The gas is estimated first,
// so a call the contract would refuse fails with its reason and costs
// nothing.
func (b *TicketBroker) transact(ctx context.Context, key *ecdsa.PrivateKey, to common.Address, contract string, value *big.Int, method string, args ...any) (*types.Receipt, error) {
	data, err := contracts.ABI(contract).Pack(method, args...)
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", method, err)
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	gas, err := b.Client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Value: value, Data: data})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	chainID, err := b.Client.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	nonce, err := b.Client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	fees, err := SuggestFees(ctx, b.Client)
	if err != nil {
		return nil, err
	}
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: chainID, Nonce: nonce, GasTipCap: fees.Tip, GasFeeCap: fees.Cap,
		Gas: gas + gas/5, To: &to, Data: data, Value: value})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(chainID), key)
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", method, err)
	}
	if err := b.Client.SendTransaction(ctx, signed); err != nil {
		return nil, fmt.Errorf("send %s: %w", method, err)
	}
	r, err := WaitReceipt(ctx, b.Client, signed.Hash(), 50*time.Millisecond)
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("%s: transaction %s reverted", method, signed.Hash().Hex())
	}
	return r, nil
}
