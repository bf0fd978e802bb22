package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/payout"
)

// payoutReconcileCmd is `podium payout reconcile`.
type payoutReconcileCmd struct {
	m *Main

	planPath, rpcURL, format string
}

func (m *Main) newPayoutReconcileCmd() *cobra.Command {
	c := &payoutReconcileCmd{m: m}
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Match the token's Transfer logs against the plan; exit 0 only if each payment is there exactly once and nothing else",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.planPath, "plan", "", "plan file")
	f.StringVar(&c.rpcURL, "rpc", "", "JSON-RPC URL")
	f.StringVar(&c.format, "format", "text", "text or json")
	required(cmd, "plan", "rpc")
	return cmd
}

// Run matches the token's Transfer logs against the plan; it exits 1 unless
// each payment is there exactly once and nothing else is.
func (c *payoutReconcileCmd) Run(ctx context.Context) error {
	m := c.m
	p, err := payout.LoadPlan(c.planPath, "")
	if err != nil {
		return err
	}
	client, err := chain.Dial(ctx, c.rpcURL, 0)
	if err != nil {
		return err
	}
	defer client.Close()
	rec, err := payout.Reconcile(ctx, client, p)
	if err != nil {
		return err
	}
	if c.format == "json" {
		if err := json.NewEncoder(m.Stdout).Encode(map[string]any{"ok": rec.OK(), "reconciliation": rec}); err != nil {
			return err
		}
	} else {
		for _, x := range rec.Payments {
			if !x.Found {
				fmt.Fprintf(m.Stdout, "missing: payment %d, %s base units to %s\n", x.Index, x.Amount, x.To)
			}
		}
		for _, x := range rec.Extra {
			fmt.Fprintf(m.Stdout, "extra: %s base units to %s in %s (block %d)\n", x.Amount, x.To, x.Tx, x.Block)
		}
		fmt.Fprintf(m.Stdout, "blocks %d-%d: %d of %d payments found, %d missing, %d unplanned transfers\n",
			rec.FromBlock, rec.ToBlock, len(rec.Payments)-rec.Missing(), len(rec.Payments), rec.Missing(), len(rec.Extra))
	}
	if !rec.OK() {
		return &exitError{code: 1}
	}
	return nil
}
