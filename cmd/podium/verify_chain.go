package main

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/payout"
)

// onChainFlags are verify's flags for checking the transfers of a paid round.
type onChainFlags struct {
	rpc, token, sender string
	fromBlock          uint64
}

func (o *onChainFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.rpc, "rpc", "", "also check the on-chain transfers of the round at this JSON-RPC URL")
	f.StringVar(&o.token, "token", "", "token address (default: the program's token.address)")
	f.StringVar(&o.sender, "sender", "", "paying account (default: the program's admin)")
	f.Uint64Var(&o.fromBlock, "from-block", 0, "first block to scan for the payout's transfers (the plan's from_block)")
}

// verifyOnChain reports whether every recipient was paid exactly once from
// the sender and nothing else was sent, printing each difference.
func (m *Main) verifyOnChain(ctx context.Context, p *podium.Program, distribution []byte, o onChainFlags) (bool, error) {
	token, sender := o.token, o.sender
	if token == "" {
		token = p.Token.Address
	}
	if sender == "" {
		sender = p.Admin
	}
	tok, err := addressFlag("token", token)
	if err != nil {
		return false, err
	}
	from, err := addressFlag("sender", sender)
	if err != nil {
		return false, err
	}
	client, err := chain.Dial(ctx, o.rpc, 0)
	if err != nil {
		return false, err
	}
	defer client.Close()
	rec, err := payout.PaidOnChain(ctx, client, distribution, tok, from, o.fromBlock)
	if err != nil {
		return false, err
	}
	for _, x := range rec.Payments {
		if !x.Found {
			fmt.Fprintf(m.Stdout, "DIFFERS on-chain: %s base units to %s (recipient %s) not found\n", x.Amount, x.To, x.Recipient)
		}
	}
	for _, x := range rec.Extra {
		fmt.Fprintf(m.Stdout, "DIFFERS on-chain: unplanned transfer of %s to %s in %s\n", x.Amount, x.To, x.Tx)
	}
	if rec.OK() {
		fmt.Fprintf(m.Stdout, "OK: blocks %d-%d hold each of the %d payments from %s exactly once, and nothing else\n",
			rec.FromBlock, rec.ToBlock, len(rec.Payments), common.HexToAddress(sender).Hex())
	}
	return rec.OK(), nil
}
