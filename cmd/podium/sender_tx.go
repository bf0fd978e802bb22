package main

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
)

// newSenderTxCmd is one of the subcommands that send a TicketBroker
// transaction.
// senderTxCmd is one of the `podium sender` subcommands that send a
// TicketBroker transaction: use is its name, method the contract's.
type senderTxCmd struct {
	m *Main

	use, method      string
	f                senderFlags
	deposit, reserve string
}

func (m *Main) newSenderTxCmd(use, short, method string) *cobra.Command {
	c := &senderTxCmd{m: m, use: use, method: method}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	c.f.register(cmd, true)
	if method == "fundDepositAndReserve" {
		cmd.Flags().StringVar(&c.deposit, "deposit", "0", "wei added to the deposit (pays tickets first)")
		cmd.Flags().StringVar(&c.reserve, "reserve", "0", "wei added to the reserve (shared by the active orchestrators when the deposit runs out)")
	}
	return cmd
}

// Run checks the transaction with the TicketBroker and, unless a dry run, sends and journals it.
func (c *senderTxCmd) Run(ctx context.Context) error {
	m := c.m
	var args []any
	value := new(big.Int)
	if c.method == "fundDepositAndReserve" {
		d, err := weiFlag("--deposit", c.deposit)
		if err != nil {
			return err
		}
		r, err := weiFlag("--reserve", c.reserve)
		if err != nil {
			return err
		}
		if d.Sign() == 0 && r.Sign() == 0 {
			return podium.FieldError("--deposit", "give --deposit or --reserve above 0")
		}
		args, value = []any{d, r}, new(big.Int).Add(d, r)
	}
	tb, addr, err := c.f.broker(ctx)
	if err != nil {
		return err
	}
	defer tb.Client.Close()
	if err := tb.Simulate(ctx, addr, value, c.method, args...); err != nil {
		return podium.Errorf(podium.EINVALID, "the TicketBroker refuses %s from %s: %w", c.use, addr.Hex(), err)
	}
	if c.f.dryRun {
		fmt.Fprintf(m.Stdout, "would send %s from %s (value %s wei); the TicketBroker accepts it\n", c.method, addr.Hex(), value)
		return m.printSender(tb, addr)
	}
	if c.f.passFile == "" {
		return podium.FieldError("--passphrase-file", "is required to send").WithHint("or check first with --dry-run")
	}
	key, err := chain.LoadKey(c.f.keystore, c.f.passFile)
	if err != nil {
		return podium.Errorf(podium.EINVALID, "--keystore: %w", err).WithHint("check --passphrase-file")
	}
	var r *types.Receipt
	switch c.method {
	case "fundDepositAndReserve":
		r, err = tb.FundDepositAndReserve(ctx, key, args[0].(*big.Int), args[1].(*big.Int))
	case "unlock":
		r, err = tb.Unlock(ctx, key)
	case "cancelUnlock":
		r, err = tb.CancelUnlock(ctx, key)
	case "withdraw":
		r, err = tb.Withdraw(ctx, key)
	}
	if err != nil {
		return err
	}
	if err := appendJournal(c.f.journal, senderEntry{Time: m.Now().UTC().Format("2006-01-02T15:04:05Z"), Action: c.use,
		Sender: addr.Hex(), Value: value.String(), Tx: r.TxHash.Hex(), Block: r.BlockNumber.Uint64()}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "sent %s: transaction %s in block %d\n", c.method, r.TxHash.Hex(), r.BlockNumber)
	return m.printSender(tb, addr)
}
