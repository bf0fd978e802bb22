package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/demo"
)

// demoCmd is `podium demo`.
type demoCmd struct {
	m *Main

	cfg     demo.Config
	verbose bool
}

func (m *Main) newDemoCmd() *cobra.Command {
	c := &demoCmd{m: m}
	cmd := &cobra.Command{
		Use:   "demo [--exit] [--dir DIR] [--round DURATION] [--listen ADDR] [--seed N]",
		Short: "Run the whole program locally, in minutes: probers, a cheater, a snapshot, rewards, a payout",
		Long: `demo runs a whole compressed round on this machine: reference orchestrators of
varied quality (one cheats) registered on a local dev chain with a test LPT token,
probers in MDW, FRA and SIN reaching them through real added network delay, the
leaderboard and web UI on SQLite, the round's snapshot taken on time, its rewards,
the results report, the payout on the dev chain (batch contract) and its
verification. It prints a summary and keeps the web UI up until Ctrl-C (--exit
stops once done). Every file goes into --dir; the components' logs into demo.log.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.BoolVar(&c.cfg.Exit, "exit", false, "stop once the round is paid and verified, instead of keeping the web UI up")
	f.StringVar(&c.cfg.Dir, "dir", "", "directory for every file the demo writes (default: a fresh temporary directory)")
	f.DurationVar(&c.cfg.Round, "round", demo.DefaultRound, "the round's length, which is also its snapshot window")
	f.StringVar(&c.cfg.Listen, "listen", demo.DefaultListen, "address of the leaderboard and web UI")
	f.Int64Var(&c.cfg.Seed, "seed", 1, "seed of the orchestrators' keys, their faults and the test order")
	f.IntVar(&c.cfg.Orchestrators, "orchestrators", demo.DefaultOrchestrators, "reference orchestrators to run, 6 to 10")
	f.IntVar(&c.cfg.Segments, "segments", 2, "segments per test (each costs about 2 s of CPU: generate, transcode, verify)")
	f.IntVar(&c.cfg.Concurrency, "concurrency", 1, "tests each prober runs at once")
	f.DurationVar(&c.cfg.Pause, "pause", 2*time.Second, "wait between a prober's passes over the orchestrators")
	f.BoolVar(&c.verbose, "verbose", false, "log the components to stderr instead of demo.log")
	return cmd
}

// Run runs the demo until it is done or ctx is.
func (c *demoCmd) Run(ctx context.Context) error {
	m := c.m
	c.cfg.Out, c.cfg.Now = m.Stdout, m.Now
	if c.verbose {
		c.cfg.Logger = m.Logger
	}
	s, err := demo.Run(ctx, c.cfg)
	if err != nil && ctx.Err() != nil {
		fmt.Fprintln(m.Stderr, "demo interrupted; every part of it has stopped")
		return &exitError{code: 130}
	}
	if err != nil {
		return err
	}
	if problems := s.Problems(); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(m.Stderr, "demo failed: %s\n", p)
		}
		return podium.Errorf(podium.EINTERNAL, "the round is not a success (%d problems above); see the summary and %s/demo.log", len(problems), s.Dir)
	}
	return nil
}
