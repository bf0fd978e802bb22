package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
)

func (m *Main) newProgramCmd() *cobra.Command {
	var file, dsn string
	cmd := &cobra.Command{
		Use:   "program validate|publish|show",
		Short: "Check, publish and list versions of a program file",
	}
	cmd.PersistentFlags().StringVar(&file, "program", "", "program file (YAML)")
	cmd.PersistentFlags().StringVar(&dsn, "db", "", "database: a path, sqlite:PATH or postgres://… (default ./podium.db)")
	cmd.MarkPersistentFlagRequired("program")
	cmd.AddCommand(&cobra.Command{
		Use:   "validate",
		Short: "Check a program file and print what it pays",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, _, err := program.Load(file)
			if err != nil {
				return err
			}
			return m.printProgram(p)
		},
	}, &cobra.Command{
		Use:   "publish",
		Short: "Store the program file as its next published version",
		Long: "Store the program file as its next published version, with the publication time and hash.\n" +
			"A round's first rules may be published any time before it starts; a change to them must be\n" +
			"published at least `notice` before its start and never once it has started.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return m.publishProgram(cmd, file, dsn) },
	}, &cobra.Command{
		Use:   "show",
		Short: "List the published versions of the program with their diffs",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return m.showProgram(cmd, file, dsn) },
	})
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

func (m *Main) publishProgram(cmd *cobra.Command, file, dsn string) error {
	next, text, err := program.Load(file)
	if err != nil {
		return err
	}
	db, err := m.openProgramDB(cmd.Context(), dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	v, unchanged, err := program.Publish(cmd.Context(), db, next, text, m.Now())
	if err != nil {
		return err
	}
	if unchanged {
		fmt.Fprintf(m.Stdout, "%s version %d (%s) is already this file; nothing to publish\n", v.Program, v.Version, v.Hash)
		return nil
	}
	fmt.Fprintf(m.Stdout, "published %s version %d at %s (%s)\n", v.Program, v.Version, v.PublishedAt.Format(time.RFC3339), v.Hash)
	return nil
}

func (m *Main) showProgram(cmd *cobra.Command, file, dsn string) error {
	p, _, err := program.Load(file)
	if err != nil {
		return err
	}
	db, err := m.openProgramDB(cmd.Context(), dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	versions, err := db.ProgramVersions(cmd.Context(), p.Name)
	if err != nil {
		return err
	}
	var prev *podium.ProgramVersion
	for i := range versions {
		v := &versions[i]
		fmt.Fprintf(m.Stdout, "version %d  published %s  %s\n", v.Version, v.PublishedAt.Format(time.RFC3339), v.Hash)
		if prev != nil {
			if changed := changedRounds(prev.Text, v.Text); changed != "" {
				fmt.Fprintf(m.Stdout, "  rules changed: %s\n", changed)
			}
			for _, line := range lineDiff(string(prev.Text), string(v.Text)) {
				fmt.Fprintf(m.Stdout, "  %s\n", line)
			}
		}
		prev = v
	}
	return nil
}

// changedRounds names the rounds whose canonical rules differ between two
// published texts.
func changedRounds(a, b []byte) string {
	pa, errA := program.Parse(a)
	pb, errB := program.Parse(b)
	if errA != nil || errB != nil {
		return ""
	}
	out := ""
	add := func(s string) {
		if out != "" {
			out += ", "
		}
		out += s
	}
	for _, r := range pb.Rounds {
		idB, _ := pb.RulesID(r.ID)
		idA, err := pa.RulesID(r.ID)
		switch {
		case err != nil:
			add(fmt.Sprintf("round %d added", r.ID))
		case idA != idB:
			add(fmt.Sprintf("round %d", r.ID))
		}
	}
	for _, r := range pa.Rounds {
		if _, err := pb.Round(r.ID); err != nil {
			add(fmt.Sprintf("round %d removed", r.ID))
		}
	}
	return out
}
