package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
)

// programFlags are the flags every `podium program` subcommand shares.
type programFlags struct {
	file, dsn string
}

func (m *Main) newProgramCmd() *cobra.Command {
	var pf programFlags
	cmd := &cobra.Command{
		Use:   "program validate|publish|show",
		Short: "Check, publish and list versions of a program file",
	}
	cmd.PersistentFlags().StringVar(&pf.file, "program", "", "program file (YAML)")
	cmd.PersistentFlags().StringVar(&pf.dsn, "db", "", "database: a path, sqlite:PATH or postgres://… (default ./podium.db)")
	cmd.MarkPersistentFlagRequired("program")
	cmd.AddCommand(m.newProgramValidateCmd(&pf), m.newProgramPublishCmd(&pf), m.newProgramShowCmd(&pf))
	return cmd
}

func (m *Main) printProgram(p *podium.Program) error {
	fmt.Fprintf(m.Stdout, "program %s: %d rounds, paid in %s (%d decimals), regions %v, notice %s\n",
		p.Name, len(p.Rounds), p.Token.Symbol, p.Token.Decimals, p.RegionIDs(), p.Notice)
	for _, e := range p.Exclude {
		fmt.Fprintf(m.Stdout, "  excluded %s: %s\n", e.Address, e.Reason)
	}
	for _, r := range p.Rounds {
		id, err := p.RulesID(r.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "round %d: %s – %s, snapshot at %s over %s, regions %v, budget %s %s, rules %s\n",
			r.ID, r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339), r.Snapshot.At.Format(time.RFC3339),
			r.Snapshot.Window, r.RegionIDs(), podium.FormatAmount(r.Budget, p.Token.Decimals), p.Token.Symbol, id)
		if len(r.Exclude) > len(p.Exclude) {
			for _, e := range r.Exclude[len(p.Exclude):] {
				fmt.Fprintf(m.Stdout, "  excluded in this round %s: %s\n", e.Address, e.Reason)
			}
		}
		for _, pool := range r.Pools {
			fmt.Fprintf(m.Stdout, "  pool %s: pays at most %s %s\n", pool.Name, podium.FormatAmount(pool.Max(&r), p.Token.Decimals), p.Token.Symbol)
		}
	}
	for _, w := range program.Warnings(p) {
		fmt.Fprintf(m.Stdout, "warning: %s\n", w)
	}
	return nil
}
