package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
)

func (m *Main) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print podium's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(m.Stdout, "podium %s\n", podium.Version())
			return nil
		},
	}
}
