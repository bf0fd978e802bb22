package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/payout"
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

func (m *Main) newPayoutPlanCmd() *cobra.Command {
	var (
		dist, rpcURL, token, keystore, passFile, method, out, batch, budget string
		batchSize                                                           int
		chainID, since                                                      uint64
	)
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Check a distribution against the chain and write the payout plan",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			raw, err := payout.ReadDistribution(dist)
			if err != nil {
				return err
			}
			sender, err := chain.KeystoreAddress(keystore)
			if err != nil {
				return err
			}
			// Decrypt now, so a wrong passphrase shows at review, not at execute.
			if _, err := chain.LoadKey(keystore, passFile); err != nil {
				return err
			}
			// Earlier plans live beside this one: their journals say what
			// they paid; the chain says the rest.
			req := payout.Request{Distribution: raw, Sender: sender, Method: method, BatchSize: batchSize,
				JournalDir: filepath.Dir(out), SinceBlock: since}
			if req.Token, err = addressFlag("token", token); err != nil {
				return err
			}
			if batch != "" {
				if req.Batch, err = addressFlag("batch", batch); err != nil {
					return err
				}
			}
			if chainID != 0 {
				req.ChainID = new(big.Int).SetUint64(chainID)
			}
			if budget != "" {
				var d podium.Distribution
				if err := json.Unmarshal(raw, &d); err != nil {
					return podium.FieldError("distribution", "%v", err)
				}
				if req.Budget, err = podium.ParseAmount(strings.TrimSpace(budget), d.Token.Decimals); err != nil {
					return podium.Errorf(podium.EINVALID, "--budget: %w", err)
				}
			}
			client, err := chain.Dial(ctx, rpcURL, 0)
			if err != nil {
				return err
			}
			defer client.Close()
			p, err := payout.MakePlan(ctx, client, req)
			if err != nil {
				return err
			}
			if err := p.Save(out); err != nil {
				return podium.FieldError("out", "%v", err)
			}
			fmt.Fprintf(m.Stdout, "plan %s\nhash %s\n%d payments, total %s %s (%s base units), %d transactions (%s) on chain %d from %s\n",
				out, p.Hash, len(p.Payments), podium.FormatAmount(p.TotalInt(), p.Decimals), p.Symbol, p.Total,
				len(p.Steps), p.Method, p.ChainID, p.Sender)
			if len(p.Steps) > 0 && p.Steps[0].Kind == payout.KindApprove {
				fmt.Fprintf(m.Stdout, "step 0 approves %s to move %s base units\n", p.Batch, p.Total)
			}
			fmt.Fprintf(m.Stdout, "review it, then: podium payout execute --plan %s --hash %s ...\n", out, p.Hash)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dist, "distribution", "", "distribution JSON (podium rewards --format json)")
	f.StringVar(&rpcURL, "rpc", "", "JSON-RPC URL of the chain to pay on")
	f.StringVar(&token, "token", "", "token contract address")
	f.StringVar(&keystore, "keystore", "", "encrypted keystore of the paying account")
	f.StringVar(&passFile, "passphrase-file", "", "file holding the keystore's passphrase")
	f.StringVar(&method, "method", payout.MethodTransfer, "transfer (one per recipient) or batch (disperseToken)")
	f.StringVar(&batch, "batch", "", "batch contract address (method batch)")
	f.IntVar(&batchSize, "batch-size", 0, "most recipients per batch (0: as many as the gas limit allows)")
	f.StringVar(&budget, "budget", "", "refuse to plan more than this many tokens (e.g. 7000)")
	f.Uint64Var(&chainID, "chain-id", 0, "refuse an RPC that serves another chain")
	f.StringVar(&out, "out", "", "where to write the plan; the journals of earlier plans beside it are checked")
	f.Uint64Var(&since, "since-block", 0, "first block searched for an earlier payment of this distribution (the program's first payout block on a long chain)")
	required(cmd, "distribution", "rpc", "token", "keystore", "passphrase-file", "out")
	return cmd
}

func addressFlag(name, s string) (common.Address, error) {
	a, err := chain.ParseAddress(s)
	if err != nil {
		return common.Address{}, podium.FieldError(name, "%v", err)
	}
	return common.HexToAddress(a), nil
}

func (m *Main) newPayoutExecuteCmd() *cobra.Command {
	var (
		planPath, rpcURL, keystore, passFile, hash string
		dryRun                                     bool
		stuckAfter, timeout                        time.Duration
		maxPending                                 int
		since                                      uint64
	)
	cmd := &cobra.Command{
		Use:   "execute",
		Short: "Sign, journal, send and confirm a plan's transactions (safe to re-run)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			p, err := payout.LoadPlan(planPath, hash)
			if err != nil {
				return err
			}
			e := &payout.Executor{Plan: p, DryRun: dryRun, StuckAfter: stuckAfter, MaxPending: maxPending,
				JournalDir: filepath.Dir(planPath), SinceBlock: since, Now: m.Now, Logger: m.Logger}
			if !dryRun {
				if e.Key, err = chain.LoadKey(keystore, passFile); err != nil {
					return err
				}
			}
			if e.Client, err = chain.Dial(ctx, rpcURL, 0); err != nil {
				return err
			}
			defer e.Client.Close()
			if dryRun {
				// A dry run reads the journal but never writes one.
				recs, err := payout.ReadJournal(payout.JournalPath(planPath))
				if err != nil {
					return err
				}
				if e.Journal, err = payout.NewReadOnlyJournal(recs, p.Hash); err != nil {
					return err
				}
			} else {
				if e.Journal, err = payout.OpenJournal(payout.JournalPath(planPath), p.Hash, m.Now()); err != nil {
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
			if timeout > 0 {
				var cancel func()
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			res, err := e.Run(ctx)
			if res != nil {
				m.printActions(p, res, dryRun)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&planPath, "plan", "", "plan file (from payout plan)")
	f.StringVar(&rpcURL, "rpc", "", "JSON-RPC URL")
	f.StringVar(&keystore, "keystore", "", "encrypted keystore of the plan's sender")
	f.StringVar(&passFile, "passphrase-file", "", "file holding the keystore's passphrase")
	f.StringVar(&hash, "hash", "", "the reviewed plan's hash; refuse any other plan")
	f.BoolVar(&dryRun, "dry-run", false, "check everything and print what would be signed; sign and send nothing")
	f.DurationVar(&stuckAfter, "stuck-after", 3*time.Minute, "replace a transaction unmined this long with a ≥10% fee bump")
	f.IntVar(&maxPending, "max-pending", 16, "most transactions in flight at once")
	f.DurationVar(&timeout, "timeout", 0, "give up after this long (0: never); re-running resumes")
	f.Uint64Var(&since, "since-block", 0, "first block searched for a payment of this distribution by another plan")
	required(cmd, "plan", "rpc")
	return cmd
}

func (m *Main) printActions(p *payout.Plan, res *payout.Result, dryRun bool) {
	verb := "signed"
	if dryRun {
		verb = "would sign"
	}
	for _, a := range res.Actions {
		what := verb
		if a.Resend {
			what = "resent"
			if dryRun {
				what = "would resend"
			}
		}
		fmt.Fprintf(m.Stdout, "step %d %s nonce %d: %s (%s base units)\n", a.Step, a.Kind, a.Nonce, what, a.Amount)
	}
	fmt.Fprintf(m.Stdout, "%d of %d steps done, %d replaced\n", res.Done, res.Steps, res.Replaced)
}

func (m *Main) newPayoutStatusCmd() *cobra.Command {
	var planPath, rpcURL, format string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each recipient's payment: journal state and on-chain transfer",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			p, err := payout.LoadPlan(planPath, "")
			if err != nil {
				return err
			}
			recs, err := payout.ReadJournal(payout.JournalPath(planPath))
			if err != nil {
				return err
			}
			client, err := chain.Dial(ctx, rpcURL, 0)
			if err != nil {
				return err
			}
			defer client.Close()
			st, rec, err := payout.Status(ctx, client, p, recs)
			if err != nil {
				return err
			}
			if format == "json" {
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
					podium.FormatAmount(mustInt(s.Amount), p.Decimals), s.Step, s.State, on, tx)
			}
			tw.Flush()
			for _, x := range rec.Extra {
				fmt.Fprintf(m.Stdout, "unplanned transfer: %s to %s in %s\n", x.Amount, x.To, x.Tx)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&planPath, "plan", "", "plan file")
	f.StringVar(&rpcURL, "rpc", "", "JSON-RPC URL")
	f.StringVar(&format, "format", "table", "table or json")
	required(cmd, "plan", "rpc")
	return cmd
}

func mustInt(s string) *big.Int {
	v, _ := new(big.Int).SetString(s, 10)
	return v
}

func (m *Main) newPayoutReconcileCmd() *cobra.Command {
	var planPath, rpcURL, format string
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Match the token's Transfer logs against the plan; exit 0 only if each payment is there exactly once and nothing else",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			p, err := payout.LoadPlan(planPath, "")
			if err != nil {
				return err
			}
			client, err := chain.Dial(ctx, rpcURL, 0)
			if err != nil {
				return err
			}
			defer client.Close()
			rec, err := payout.Reconcile(ctx, client, p)
			if err != nil {
				return err
			}
			if format == "json" {
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
		},
	}
	f := cmd.Flags()
	f.StringVar(&planPath, "plan", "", "plan file")
	f.StringVar(&rpcURL, "rpc", "", "JSON-RPC URL")
	f.StringVar(&format, "format", "text", "text or json")
	required(cmd, "plan", "rpc")
	return cmd
}

func (m *Main) newPayoutExportCmd() *cobra.Command {
	var planPath, format, out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export a plan for other signers: Safe transaction-builder JSON, merkle-distributor JSON, or CSV",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := payout.LoadPlan(planPath, "")
			if err != nil {
				return err
			}
			w := m.Stdout
			if out != "" {
				f, err := os.Create(out)
				if err != nil {
					return podium.FieldError("out", "%v", err)
				}
				defer f.Close()
				w = f
			}
			return payout.Export(w, p, format, m.Now())
		},
	}
	f := cmd.Flags()
	f.StringVar(&planPath, "plan", "", "plan file")
	f.StringVar(&format, "format", payout.FormatSafe, "safe, merkle or csv")
	f.StringVar(&out, "out", "", "write here instead of stdout")
	required(cmd, "plan")
	return cmd
}
