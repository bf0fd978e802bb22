package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
)

// versionCmd is `podium version`.
type versionCmd struct {
	m *Main
}

func (m *Main) newVersionCmd() *cobra.Command {
	c := &versionCmd{m: m}
	return &cobra.Command{
		Use:   "version",
		Short: "Print podium's version",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
}

// Run prints podium's version.
func (c *versionCmd) Run(context.Context) error {
	fmt.Fprintf(c.m.Stdout, "podium %s\n", podium.Version())
	return nil
}
