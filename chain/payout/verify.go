package payout

import (
	"context"
	"encoding/json"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium"
)

// PaidOnChain checks a published distribution against the chain: every
// recipient's amount must have been transferred from sender to its payee in
// token exactly once in blocks [fromBlock, head], and nothing else sent. It
// needs no plan or journal, only public data, so an auditor can run it.
func PaidOnChain(ctx context.Context, c *ethclient.Client, distribution []byte, token, sender common.Address, fromBlock uint64) (*Reconciliation, error) {
	var d podium.Distribution
	if err := json.Unmarshal(distribution, &d); err != nil {
		return nil, podium.FieldError("distribution", "not a distribution JSON: %v", err)
	}
	payments, _, _, err := paymentsOf(d)
	if err != nil {
		return nil, err
	}
	head, err := c.BlockNumber(ctx)
	if err != nil {
		return nil, unavailable("block number", err)
	}
	return match(ctx, c, token, sender, fromBlock, head, payments)
}
