package main

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/pflag"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/lpnet/pm"
	"github.com/podiumhq/podium/node"
)

// nodePayFlags make a priced orchestrator take tickets on a TicketBroker.
type nodePayFlags struct {
	rpc, controller, ticketEV string
}

func (f *nodePayFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.rpc, "pay-rpc", "", "with --price above 0: take tickets on the TicketBroker at this JSON-RPC URL and redeem the winners (the node's key pays the gas)")
	fs.StringVar(&f.controller, "pay-controller", "", "with --pay-rpc: the Controller that names the TicketBroker (default: Arbitrum One's)")
	fs.StringVar(&f.ticketEV, "ticket-ev", node.DefaultTicketEV.String(), "with --pay-rpc: the expected value of each ticket, in wei")
}

// redeemGas is go-livepeer's estimate of a redemption's gas on L1.
const redeemGas = 350_000

// tickets connects to the TicketBroker; nil when the node takes none.
func (f *nodePayFlags) tickets(ctx context.Context, key *ecdsa.PrivateKey) (*node.Tickets, func(), error) {
	if f.rpc == "" {
		return nil, func() {}, nil
	}
	ev, ok := new(big.Int).SetString(f.ticketEV, 10)
	if !ok || ev.Sign() <= 0 {
		return nil, nil, podium.FieldError("--ticket-ev", "%q: want a whole number of wei above 0", f.ticketEV)
	}
	var controller common.Address
	if f.controller != "" {
		if !podium.IsAddress(f.controller) {
			return nil, nil, podium.FieldError("--pay-controller", "%q is not a 0x address", f.controller)
		}
		controller = common.HexToAddress(f.controller)
	}
	client, err := chain.Dial(ctx, f.rpc, 0)
	if err != nil {
		return nil, nil, err
	}
	tb, err := chain.ResolveTicketBroker(ctx, client, controller)
	if err != nil {
		client.Close()
		return nil, nil, err
	}
	gasPrice := func() *big.Int {
		gctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		p, err := client.SuggestGasPrice(gctx)
		if err != nil {
			return nil
		}
		return p
	}
	return &node.Tickets{
		Chain:    tb,
		Config:   pm.RecipientConfig{EV: ev, RedeemGas: redeemGas, TxCostMultiplier: 100},
		GasPrice: gasPrice,
		Redeemer: &chain.Redeemer{Broker: tb, Key: key},
	}, client.Close, nil
}
