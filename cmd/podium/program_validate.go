package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium/program"
)

// programValidateCmd is `podium program validate`.
type programValidateCmd struct {
	m *Main
	*programFlags
}

func (m *Main) newProgramValidateCmd(pf *programFlags) *cobra.Command {
	c := &programValidateCmd{m: m, programFlags: pf}
	return &cobra.Command{
		Use:   "validate",
		Short: "Check a program file and print what it pays",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
}

// Run checks the program file and prints what it pays.
func (c *programValidateCmd) Run(context.Context) error {
	p, _, err := program.Load(c.file)
	if err != nil {
		return err
	}
	return c.m.printProgram(p)
}
