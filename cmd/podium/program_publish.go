package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium/program"
)

// programPublishCmd is `podium program publish`.
type programPublishCmd struct {
	m *Main
	*programFlags
}

func (m *Main) newProgramPublishCmd(pf *programFlags) *cobra.Command {
	c := &programPublishCmd{m: m, programFlags: pf}
	return &cobra.Command{
		Use:   "publish",
		Short: "Store the program file as its next published version",
		Long: "Store the program file as its next published version, with the publication time and hash.\n" +
			"A round's first rules may be published any time before it starts; a change to them must be\n" +
			"published at least `notice` before its start and never once it has started.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
}

// Run stores the program file as its next published version.
func (c *programPublishCmd) Run(ctx context.Context) error {
	m := c.m
	next, text, err := program.Load(c.file)
	if err != nil {
		return err
	}
	db, err := m.openProgramDB(ctx, c.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	v, unchanged, err := program.Publish(ctx, db, next, text, m.Now())
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
