package chain

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// Fees are the EIP-1559 fee caps of a transaction, in wei per gas.
type Fees struct {
	Tip *big.Int // max priority fee
	Cap *big.Int // max fee
}

// SuggestFees returns fees for a transaction sent now: the node's suggested
// tip and a cap of twice the latest base fee plus the tip, so the transaction
// stays includable while the base fee rises for a few blocks.
func SuggestFees(ctx context.Context, c *ethclient.Client) (Fees, error) {
	head, err := c.HeaderByNumber(ctx, nil)
	if err != nil {
		return Fees{}, fmt.Errorf("latest header: %w", err)
	}
	tip, err := c.SuggestGasTipCap(ctx)
	if err != nil {
		return Fees{}, fmt.Errorf("suggest tip: %w", err)
	}
	if tip.Sign() == 0 {
		tip = big.NewInt(1)
	}
	base := head.BaseFee
	if base == nil {
		base = new(big.Int)
	}
	return Fees{Tip: tip, Cap: new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip)}, nil
}

// Bump returns fees raised by one eighth (12.5 %, at least 1 wei), above the
// 10 % a node requires to replace a transaction at the same nonce.
func (f Fees) Bump() Fees {
	up := func(x *big.Int) *big.Int {
		d := new(big.Int).Rsh(x, 3)
		if d.Sign() == 0 {
			d.SetInt64(1)
		}
		return d.Add(d, x)
	}
	return Fees{Tip: up(f.Tip), Cap: up(f.Cap)}
}

// Max returns the larger of f and g, field by field.
func (f Fees) Max(g Fees) Fees {
	out := Fees{Tip: f.Tip, Cap: f.Cap}
	if g.Tip.Cmp(out.Tip) > 0 {
		out.Tip = g.Tip
	}
	if g.Cap.Cmp(out.Cap) > 0 {
		out.Cap = g.Cap
	}
	if out.Cap.Cmp(out.Tip) < 0 {
		out.Cap = out.Tip
	}
	return out
}

// NewTx returns an unsigned EIP-1559 transaction.
func NewTx(chainID *big.Int, nonce uint64, to common.Address, data []byte, gas uint64, fees Fees) *types.Transaction {
	return types.NewTx(&types.DynamicFeeTx{
		ChainID:   chainID,
		Nonce:     nonce,
		GasTipCap: fees.Tip,
		GasFeeCap: fees.Cap,
		Gas:       gas,
		To:        &to,
		Data:      data,
	})
}

// WaitReceipt polls for the receipt of hash until it is mined or ctx ends.
// Errors from the node (not mined yet, or a node that fails for a moment) are
// retried on the next poll.
func WaitReceipt(ctx context.Context, c *ethclient.Client, hash common.Hash, poll time.Duration) (*types.Receipt, error) {
	for {
		if r, err := c.TransactionReceipt(ctx, hash); err == nil {
			return r, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for %s: %w", hash.Hex(), ctx.Err())
		case <-time.After(poll):
		}
	}
}
