package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/payout"
)

// payoutStatusCmd is `podium payout status`.
type payoutStatusCmd struct {
	m *Main

	planPath, rpcURL, format string
}

func (m *Main) newPayoutStatusCmd() *cobra.Command {
	c := &payoutStatusCmd{m: m}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each recipient's payment: journal state and on-chain transfer",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.planPath, "plan", "", "plan file")
	f.StringVar(&c.rpcURL, "rpc", "", "JSON-RPC URL")
	f.StringVar(&c.format, "format", "table", "table or json")
	required(cmd, "plan", "rpc")
	return cmd
}

// Run prints each payment's journal state and on-chain transfer.
func (c *payoutStatusCmd) Run(ctx context.Context) error {
	m := c.m
	p, err := payout.LoadPlan(c.planPath, "")
	if err != nil {
		return err
	}
	recs, err := payout.ReadJournal(payout.JournalPath(c.planPath))
	if err != nil {
		return err
	}
	client, err := chain.Dial(ctx, c.rpcURL, 0)
	if err != nil {
		return err
	}
	defer client.Close()
	st, rec, err := payout.Status(ctx, client, p, recs)
	if err != nil {
		return err
	}
	if c.format == "json" {
		return json.NewEncoder(m.Stdout).Encode(map[string]any{"payments": st, "extra": rec.Extra})
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INDEX\tRECIPIENT\tPAY TO\tAMOUNT\tSTEP\tSTATE\tON CHAIN\tTX")
	for _, s := range st {
		on := "no"
		if s.Found {
			on = fmt.Sprintf("block %d", s.Block)
		}
		tx := s.Tx
		if tx == "" {
			tx = s.Sent
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.Index, s.Recipient, s.To,
			podium.FormatAmount(p.Amount(s.Index), p.Decimals), s.Step, s.State, on, tx)
	}
	tw.Flush()
	for _, x := range rec.Extra {
		fmt.Fprintf(m.Stdout, "unplanned transfer: %s to %s in %s\n", x.Amount, x.To, x.Tx)
	}
	return nil
}
