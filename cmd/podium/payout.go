package main

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
)

func (m *Main) newPayoutCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "payout",
		Short: "Pay a round's distribution on-chain, exactly once",
		Long: `plan → review → execute → reconcile. A plan is content-hashed and checked against
the chain before anything is signed; execute journals every signed transaction
(PLAN.journal) before sending it and can be re-run after any crash; reconcile
matches the token's Transfer logs against the plan.`,
	}
	cmd.AddCommand(m.newPayoutPlanCmd(), m.newPayoutExecuteCmd(), m.newPayoutStatusCmd(),
		m.newPayoutReconcileCmd(), m.newPayoutExportCmd())
	return cmd
}

func required(cmd *cobra.Command, names ...string) {
	for _, n := range names {
		_ = cmd.MarkFlagRequired(n)
	}
}

func addressFlag(name, s string) (common.Address, error) {
	a, err := chain.ParseAddress(s)
	if err != nil {
		return common.Address{}, podium.FieldError(name, "%v", err)
	}
	return common.HexToAddress(a), nil
}
