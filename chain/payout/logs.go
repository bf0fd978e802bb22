package payout

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium/chain/contracts"
)

// logRange is how many blocks one eth_getLogs covers (public RPCs cap it).
const logRange = 10_000

// transfersFrom returns the token's Transfer logs sent by from in blocks
// [fromBlock, toBlock].
func transfersFrom(ctx context.Context, c *ethclient.Client, token, from common.Address, fromBlock, toBlock uint64) ([]types.Log, error) {
	topic := contracts.ABI(contracts.TestLPT).Events["Transfer"].ID
	var out []types.Log
	for start := fromBlock; start <= toBlock; start += logRange {
		end := min(start+logRange-1, toBlock)
		q := ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(start),
			ToBlock:   new(big.Int).SetUint64(end),
			Addresses: []common.Address{token},
			Topics:    [][]common.Hash{{topic}, {common.BytesToHash(from.Bytes())}},
		}
		logs, err := c.FilterLogs(ctx, q)
		if err != nil {
			return nil, unavailable(fmt.Sprintf("transfer logs %d-%d", start, end), err)
		}
		for _, l := range logs {
			if !l.Removed {
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// transfersIn returns the token's Transfer logs sent by from in one block.
func transfersIn(ctx context.Context, c *ethclient.Client, token, from common.Address, block common.Hash) ([]types.Log, error) {
	topic := contracts.ABI(contracts.TestLPT).Events["Transfer"].ID
	q := ethereum.FilterQuery{
		BlockHash: &block,
		Addresses: []common.Address{token},
		Topics:    [][]common.Hash{{topic}, {common.BytesToHash(from.Bytes())}},
	}
	logs, err := c.FilterLogs(ctx, q)
	if err != nil {
		return nil, unavailable(fmt.Sprintf("transfer logs of block %s", block.Hex()), err)
	}
	out := logs[:0]
	for _, l := range logs {
		if !l.Removed {
			out = append(out, l)
		}
	}
	return out, nil
}

// transfer is a decoded Transfer log.
type transfer struct {
	To        common.Address
	Amount    *big.Int
	Tx        common.Hash
	Block     uint64
	BlockHash common.Hash
}

func decodeTransfer(l types.Log) (transfer, error) {
	if len(l.Topics) != 3 || len(l.Data) != 32 {
		return transfer{}, fmt.Errorf("log %s/%d is not an ERC-20 Transfer", l.TxHash.Hex(), l.Index)
	}
	return transfer{
		To:        common.BytesToAddress(l.Topics[2].Bytes()),
		Amount:    new(big.Int).SetBytes(l.Data),
		Tx:        l.TxHash,
		Block:     l.BlockNumber,
		BlockHash: l.BlockHash,
	}, nil
}
