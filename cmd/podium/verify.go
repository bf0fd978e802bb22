package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/verify"
)

// verifyCmd is `podium verify`.
type verifyCmd struct {
	m *Main

	file, snapFile, distFile string
	round                    int
	onChain                  onChainFlags
	snap                     snapshotFlags
}

func (m *Main) newVerifyCmd() *cobra.Command {
	c := &verifyCmd{m: m}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Recompute a published round and report every difference",
		Long: "Recompute a round's distribution from the program file and the snapshot file and compare it\n" +
			"with the published distribution field by field. A snapshot agrees with itself whatever it\n" +
			"says: pass --expect-snapshot (the id published when it was taken) and --records or\n" +
			"--leaderboard (its aggregates and digest recomputed from the raw records) to check it too.\n" +
			"Exit status 1 when anything differs.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	cmd.Flags().StringVar(&c.file, "program", "", "program file (YAML)")
	cmd.Flags().IntVar(&c.round, "round", 0, "round number")
	cmd.Flags().StringVar(&c.snapFile, "snapshot", "", "the round's snapshot file")
	cmd.Flags().StringVar(&c.distFile, "distribution", "", "the published distribution (JSON)")
	c.onChain.register(cmd)
	c.snap.register(cmd)
	for _, f := range []string{"program", "round", "snapshot", "distribution"} {
		cmd.MarkFlagRequired(f)
	}
	return cmd
}

// Run recomputes the round and reports every difference; it exits 1 when anything differs.
func (c *verifyCmd) Run(ctx context.Context) error {
	m := c.m
	if err := c.snap.validate(); err != nil {
		return err
	}
	p, _, err := program.Load(c.file)
	if err != nil {
		return err
	}
	sb, err := readFile("snapshot", c.snapFile)
	if err != nil {
		return err
	}
	db, err := readFile("distribution", c.distFile)
	if err != nil {
		return err
	}
	res, err := verify.Round(p, c.round, sb, db)
	if err != nil {
		return err
	}
	if err := c.snap.check(ctx, res, p, c.round, sb); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "rules        %s\nsnapshot     %s\ndistribution %s\n", res.RulesID, res.SnapshotID, res.DistributionID)
	ok := res.OK()
	if ok {
		fmt.Fprintf(m.Stdout, "OK: the distribution is exactly what the rules give for this snapshot\n")
		if c.snap.expect != "" {
			fmt.Fprintf(m.Stdout, "OK: the snapshot is the one published\n")
		}
		if c.snap.records != "" || c.snap.leaderboard != "" {
			fmt.Fprintf(m.Stdout, "OK: the snapshot's aggregates and digest are those of the raw records\n")
		}
	}
	for _, d := range res.Differences {
		fmt.Fprintf(m.Stdout, "DIFFERS %s\n", d)
	}
	if c.onChain.rpc != "" {
		paid, err := m.verifyOnChain(ctx, p, db, c.onChain)
		if err != nil {
			return err
		}
		ok = ok && paid
	}
	if !ok {
		return &exitError{code: 1}
	}
	return nil
}
