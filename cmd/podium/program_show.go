package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
)

// programShowCmd is `podium program show`.
type programShowCmd struct {
	m *Main
	*programFlags
}

func (m *Main) newProgramShowCmd(pf *programFlags) *cobra.Command {
	c := &programShowCmd{m: m, programFlags: pf}
	return &cobra.Command{
		Use:   "show",
		Short: "List the published versions of the program with their diffs",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
}

// Run lists the published versions of the program with their diffs.
func (c *programShowCmd) Run(ctx context.Context) error {
	m := c.m
	p, _, err := program.Load(c.file)
	if err != nil {
		return err
	}
	db, err := m.openProgramDB(ctx, c.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	versions, err := db.ProgramVersions(ctx, p.Name)
	if err != nil {
		return err
	}
	var prev *podium.ProgramVersion
	for i := range versions {
		v := &versions[i]
		fmt.Fprintf(m.Stdout, "version %d  published %s  %s\n", v.Version, v.PublishedAt.Format(time.RFC3339), v.Hash)
		if prev != nil {
			if changed := program.ChangedRounds(prev.Text, v.Text); changed != "" {
				fmt.Fprintf(m.Stdout, "  rules changed: %s\n", changed)
			}
			for _, line := range program.LineDiff(string(prev.Text), string(v.Text)) {
				fmt.Fprintf(m.Stdout, "  %s\n", line)
			}
		}
		prev = v
	}
	return nil
}
