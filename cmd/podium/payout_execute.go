package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/payout"
)

// payoutExecuteCmd is `podium payout execute`.
type payoutExecuteCmd struct {
	m *Main

	planPath, rpcURL, keystore, passFile, hash string
	dryRun                                     bool
	stuckAfter, timeout                        time.Duration
	maxPending                                 int
	since                                      uint64
}

func (m *Main) newPayoutExecuteCmd() *cobra.Command {
	c := &payoutExecuteCmd{m: m}
	cmd := &cobra.Command{
		Use:   "execute",
		Short: "Sign, journal, send and confirm a plan's transactions (safe to re-run)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.planPath, "plan", "", "plan file (from payout plan)")
	f.StringVar(&c.rpcURL, "rpc", "", "JSON-RPC URL")
	f.StringVar(&c.keystore, "keystore", "", "encrypted keystore of the plan's sender")
	f.StringVar(&c.passFile, "passphrase-file", "", "file holding the keystore's passphrase")
	f.StringVar(&c.hash, "hash", "", "the reviewed plan's hash; refuse any other plan")
	f.BoolVar(&c.dryRun, "dry-run", false, "check everything and print what would be signed; sign and send nothing")
	f.DurationVar(&c.stuckAfter, "stuck-after", 3*time.Minute, "replace a transaction unmined this long with a ≥10% fee bump")
	f.IntVar(&c.maxPending, "max-pending", 16, "most transactions in flight at once")
	f.DurationVar(&c.timeout, "timeout", 0, "give up after this long (0: never); re-running resumes")
	f.Uint64Var(&c.since, "since-block", 0, "first block searched for a payment of this distribution by another plan")
	required(cmd, "plan", "rpc")
	return cmd
}

// Run signs, journals, sends and confirms the plan's transactions.
func (c *payoutExecuteCmd) Run(ctx context.Context) error {
	m := c.m
	p, err := payout.LoadPlan(c.planPath, c.hash)
	if err != nil {
		return err
	}
	e := &payout.Executor{Plan: p, DryRun: c.dryRun, StuckAfter: c.stuckAfter, MaxPending: c.maxPending,
		JournalDir: filepath.Dir(c.planPath), SinceBlock: c.since, Now: m.Now, Logger: m.Logger}
	if !c.dryRun {
		if e.Key, err = chain.LoadKey(c.keystore, c.passFile); err != nil {
			return err
		}
	}
	if e.Client, err = chain.Dial(ctx, c.rpcURL, 0); err != nil {
		return err
	}
	defer e.Client.Close()
	if c.dryRun {
		// A dry run reads the journal but never writes one.
		recs, err := payout.ReadJournal(payout.JournalPath(c.planPath))
		if err != nil {
			return err
		}
		if e.Journal, err = payout.NewReadOnlyJournal(recs, p.Hash); err != nil {
			return err
		}
	} else {
		if e.Journal, err = payout.OpenJournal(payout.JournalPath(c.planPath), p.Hash, m.Now()); err != nil {
			return err
		}
		defer e.Journal.Close()
		bar := progressbar.NewOptions(len(p.Steps), progressbar.OptionSetWriter(m.Stderr),
			progressbar.OptionSetDescription("paying"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		e.OnEvent = func(ev payout.Event) {
			if ev.Kind == payout.EventMined {
				_ = bar.Set(ev.Done)
			}
		}
		defer bar.Finish()
	}
	if c.timeout > 0 {
		var cancel func()
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	res, err := e.Run(ctx)
	if res != nil {
		c.printActions(res)
	}
	return err
}

func (c *payoutExecuteCmd) printActions(res *payout.Result) {
	verb := "signed"
	if c.dryRun {
		verb = "would sign"
	}
	for _, a := range res.Actions {
		what := verb
		if a.Resend {
			what = "resent"
			if c.dryRun {
				what = "would resend"
			}
		}
		fmt.Fprintf(c.m.Stdout, "step %d %s nonce %d: %s (%s base units)\n", a.Step, a.Kind, a.Nonce, what, a.Amount)
	}
	fmt.Fprintf(c.m.Stdout, "%d of %d steps done, %d replaced\n", res.Done, res.Steps, res.Replaced)
}
