package chain

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium/chain/contracts"
)

// Token reads an ERC-20 token.
type Token struct {
	Client  *ethclient.Client
	Address common.Address
}

// BalanceOf returns owner's balance in base units.
func (t Token) BalanceOf(ctx context.Context, owner common.Address) (*big.Int, error) {
	return t.uint(ctx, "balanceOf", owner)
}

// Allowance returns how much spender may move from owner.
func (t Token) Allowance(ctx context.Context, owner, spender common.Address) (*big.Int, error) {
	return t.uint(ctx, "allowance", owner, spender)
}

// Decimals returns the token's decimals.
func (t Token) Decimals(ctx context.Context) (uint8, error) {
	var d uint8
	if err := callView(ctx, t.Client, t.Address, contracts.TestLPT, "decimals", []any{&d}); err != nil {
		return 0, err
	}
	return d, nil
}

func (t Token) uint(ctx context.Context, method string, args ...any) (*big.Int, error) {
	data, err := contracts.ABI(contracts.TestLPT).Pack(method, args...)
	if err != nil {
		return nil, err
	}
	ret, err := t.Client.CallContract(ctx, callMsg(t.Address, data), nil)
	if err != nil {
		return nil, fmt.Errorf("token %s %s: %w", t.Address.Hex(), method, err)
	}
	if len(ret) != 32 {
		return nil, fmt.Errorf("token %s %s: %d bytes returned; is it an ERC-20?", t.Address.Hex(), method, len(ret))
	}
	return new(big.Int).SetBytes(ret), nil
}
