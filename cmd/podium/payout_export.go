package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
)

// payoutExportCmd is `podium payout export`.
type payoutExportCmd struct {
	m *Main

	planPath, format, out string
}

func (m *Main) newPayoutExportCmd() *cobra.Command {
	c := &payoutExportCmd{m: m}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export a plan for other signers: Safe transaction-builder JSON, merkle-distributor JSON, or CSV",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.planPath, "plan", "", "plan file")
	f.StringVar(&c.format, "format", payout.FormatSafe, "safe, merkle or csv")
	f.StringVar(&c.out, "out", "", "write here instead of stdout")
	required(cmd, "plan")
	return cmd
}

// Run writes the plan in the chosen format.
func (c *payoutExportCmd) Run(context.Context) error {
	p, err := payout.LoadPlan(c.planPath, "")
	if err != nil {
		return err
	}
	w := c.m.Stdout
	if c.out != "" {
		f, err := os.Create(c.out)
		if err != nil {
			return podium.FieldError("out", "%v", err)
		}
		defer f.Close()
		w = f
	}
	return payout.Export(w, p, c.format, c.m.Now())
}
