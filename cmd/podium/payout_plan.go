package main

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/payout"
)

// payoutPlanCmd is `podium payout plan`.
type payoutPlanCmd struct {
	m *Main

	dist, rpcURL, token, keystore, passFile, method, out, batch, budget string
	batchSize                                                           int
	chainID, since                                                      uint64
}

func (m *Main) newPayoutPlanCmd() *cobra.Command {
	c := &payoutPlanCmd{m: m}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Check a distribution against the chain and write the payout plan",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.dist, "distribution", "", "distribution JSON (podium rewards --format json)")
	f.StringVar(&c.rpcURL, "rpc", "", "JSON-RPC URL of the chain to pay on")
	f.StringVar(&c.token, "token", "", "token contract address")
	f.StringVar(&c.keystore, "keystore", "", "encrypted keystore of the paying account")
	f.StringVar(&c.passFile, "passphrase-file", "", "file holding the keystore's passphrase")
	f.StringVar(&c.method, "method", payout.MethodTransfer, "transfer (one per recipient) or batch (disperseToken)")
	f.StringVar(&c.batch, "batch", "", "batch contract address (method batch)")
	f.IntVar(&c.batchSize, "batch-size", 0, "most recipients per batch (0: as many as the gas limit allows)")
	f.StringVar(&c.budget, "budget", "", "refuse to plan more than this many tokens (e.g. 7000)")
	f.Uint64Var(&c.chainID, "chain-id", 0, "refuse an RPC that serves another chain")
	f.StringVar(&c.out, "out", "", "where to write the plan; the journals of earlier plans beside it are checked")
	f.Uint64Var(&c.since, "since-block", 0, "first block searched for an earlier payment of this distribution (the program's first payout block on a long chain)")
	required(cmd, "distribution", "rpc", "token", "keystore", "passphrase-file", "out")
	return cmd
}

// Run checks the distribution against the chain and writes the plan.
func (c *payoutPlanCmd) Run(ctx context.Context) error {
	m := c.m
	raw, err := payout.ReadDistribution(c.dist)
	if err != nil {
		return err
	}
	sender, err := chain.KeystoreAddress(c.keystore)
	if err != nil {
		return err
	}
	// Decrypt now, so a wrong passphrase shows at review, not at execute.
	if _, err := chain.LoadKey(c.keystore, c.passFile); err != nil {
		return err
	}
	// Earlier plans live beside this one: their journals say what
	// they paid; the chain says the rest.
	req := payout.Request{Distribution: raw, Sender: sender, Method: c.method, BatchSize: c.batchSize,
		BudgetTokens: c.budget, JournalDir: filepath.Dir(c.out), SinceBlock: c.since}
	if req.Token, err = addressFlag("token", c.token); err != nil {
		return err
	}
	if c.batch != "" {
		if req.Batch, err = addressFlag("batch", c.batch); err != nil {
			return err
		}
	}
	if c.chainID != 0 {
		req.ChainID = new(big.Int).SetUint64(c.chainID)
	}
	client, err := chain.Dial(ctx, c.rpcURL, 0)
	if err != nil {
		return err
	}
	defer client.Close()
	p, err := payout.MakePlan(ctx, client, req)
	if err != nil {
		return err
	}
	if err := p.Save(c.out); err != nil {
		return podium.FieldError("out", "%v", err)
	}
	fmt.Fprintf(m.Stdout, "plan %s\nhash %s\n%d payments, total %s %s (%s base units), %d transactions (%s) on chain %d from %s\n",
		c.out, p.Hash, len(p.Payments), podium.FormatAmount(p.TotalInt(), p.Decimals), p.Symbol, p.Total,
		len(p.Steps), p.Method, p.ChainID, p.Sender)
	if len(p.Steps) > 0 && p.Steps[0].Kind == payout.KindApprove {
		fmt.Fprintf(m.Stdout, "step 0 approves %s to move %s base units\n", p.Batch, p.Total)
	}
	fmt.Fprintf(m.Stdout, "review it, then: podium payout execute --plan %s --hash %s ...\n", c.out, p.Hash)
	return nil
}
