package chain

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium/chain/contracts"
)

// CallView calls a view method of the named contract at to and unpacks
// its outputs into outs (pointers, in order).
func CallView(ctx context.Context, c *ethclient.Client, to common.Address, contract, method string, outs []any, args ...any) error {
	return callView(ctx, c, to, contract, method, outs, args...)
}

// callView calls a view method of the named contract at to and unpacks its
// outputs into outs (pointers, in order).
func callView(ctx context.Context, c *ethclient.Client, to common.Address, contract, method string, outs []any, args ...any) error {
	a := contracts.ABI(contract)
	data, err := a.Pack(method, args...)
	if err != nil {
		return fmt.Errorf("pack %s: %w", method, err)
	}
	ret, err := c.CallContract(ctx, ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		return fmt.Errorf("call %s at %s: %w", method, to.Hex(), err)
	}
	return unpack(contract, method, ret, outs)
}

func callMsg(to common.Address, data []byte) ethereum.CallMsg {
	return ethereum.CallMsg{To: &to, Data: data}
}

// unpack decodes a method's return data into outs.
func unpack(contract, method string, ret []byte, outs []any) error {
	vals, err := contracts.ABI(contract).Unpack(method, ret)
	if err != nil {
		return fmt.Errorf("unpack %s: %w", method, err)
	}
	if len(vals) != len(outs) {
		return fmt.Errorf("unpack %s: %d values, want %d", method, len(vals), len(outs))
	}
	for i, v := range vals {
		if err := assign(outs[i], v); err != nil {
			return fmt.Errorf("unpack %s: %w", method, err)
		}
	}
	return nil
}

func assign(dst, v any) error {
	switch d := dst.(type) {
	case *common.Address:
		x, ok := v.(common.Address)
		if !ok {
			return fmt.Errorf("got %T, want address", v)
		}
		*d = x
	case *string:
		x, ok := v.(string)
		if !ok {
			return fmt.Errorf("got %T, want string", v)
		}
		*d = x
	case *bool:
		x, ok := v.(bool)
		if !ok {
			return fmt.Errorf("got %T, want bool", v)
		}
		*d = x
	case **big.Int:
		x, ok := v.(*big.Int)
		if !ok {
			return fmt.Errorf("got %T, want uint256", v)
		}
		*d = x
	case *[32]byte:
		x, ok := v.([32]byte)
		if !ok {
			return fmt.Errorf("got %T, want bytes32", v)
		}
		*d = x
	case *uint8:
		x, ok := v.(uint8)
		if !ok {
			return fmt.Errorf("got %T, want uint8", v)
		}
		*d = x
	default:
		return fmt.Errorf("cannot assign to %T", dst)
	}
	return nil
}
