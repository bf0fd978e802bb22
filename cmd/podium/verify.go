package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/verify"
)

func (m *Main) newVerifyCmd() *cobra.Command {
	var file, snapFile, distFile string
	var round int
	var onChain onChainFlags
	var snap snapshotFlags
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Recompute a published round and report every difference",
		Long: "Recompute a round's distribution from the program file and the snapshot file and compare it\n" +
			"with the published distribution field by field. A snapshot agrees with itself whatever it\n" +
			"says: pass --expect-snapshot (the id published when it was taken) and --records or\n" +
			"--leaderboard (its aggregates and digest recomputed from the raw records) to check it too.\n" +
			"Exit status 1 when anything differs.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := snap.validate(); err != nil {
				return err
			}
			p, _, err := program.Load(file)
			if err != nil {
				return err
			}
			sb, err := readFile("snapshot", snapFile)
			if err != nil {
				return err
			}
			db, err := readFile("distribution", distFile)
			if err != nil {
				return err
			}
			res, err := verify.Round(p, round, sb, db)
			if err != nil {
				return err
			}
			if err := snap.check(cmd.Context(), res, sb); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "rules        %s\nsnapshot     %s\ndistribution %s\n", res.RulesID, res.SnapshotID, res.DistributionID)
			ok := res.OK()
			if ok {
				fmt.Fprintf(m.Stdout, "OK: the distribution is exactly what the rules give for this snapshot\n")
				if snap.expect != "" {
					fmt.Fprintf(m.Stdout, "OK: the snapshot is the one published\n")
				}
				if snap.records != "" || snap.leaderboard != "" {
					fmt.Fprintf(m.Stdout, "OK: the snapshot's aggregates and digest are those of the raw records\n")
				}
			}
			for _, d := range res.Differences {
				fmt.Fprintf(m.Stdout, "DIFFERS %s\n", d)
			}
			if onChain.rpc != "" {
				paid, err := m.verifyOnChain(cmd.Context(), p, db, onChain)
				if err != nil {
					return err
				}
				ok = ok && paid
			}
			if !ok {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "program", "", "program file (YAML)")
	cmd.Flags().IntVar(&round, "round", 0, "round number")
	cmd.Flags().StringVar(&snapFile, "snapshot", "", "the round's snapshot file")
	cmd.Flags().StringVar(&distFile, "distribution", "", "the published distribution (JSON)")
	onChain.register(cmd)
	snap.register(cmd)
	for _, f := range []string{"program", "round", "snapshot", "distribution"} {
		cmd.MarkFlagRequired(f)
	}
	return cmd
}
