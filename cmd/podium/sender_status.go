package main

import (
	"context"

	"github.com/spf13/cobra"
)

// senderStatusCmd is `podium sender status`.
type senderStatusCmd struct {
	m *Main

	f senderFlags
}

func (m *Main) newSenderStatusCmd() *cobra.Command {
	c := &senderStatusCmd{m: m}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the sender's deposit, reserve and unlock state",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	c.f.register(cmd, false)
	return cmd
}

// Run prints the sender's deposit, reserve and unlock state.
func (c *senderStatusCmd) Run(ctx context.Context) error {
	m := c.m
	tb, addr, err := c.f.broker(ctx)
	if err != nil {
		return err
	}
	defer tb.Client.Close()
	return m.printSender(tb, addr)
}
