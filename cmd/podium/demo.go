package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/demo"
)

func (m *Main) newDemoCmd() *cobra.Command {
	var (
		cfg     demo.Config
		verbose bool
	)
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
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Out, cfg.Now = m.Stdout, m.Now
			if verbose {
				cfg.Logger = m.Logger
			}
			s, err := demo.Run(cmd.Context(), cfg)
			if err != nil && cmd.Context().Err() != nil {
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
		},
	}
	f := cmd.Flags()
	f.BoolVar(&cfg.Exit, "exit", false, "stop once the round is paid and verified, instead of keeping the web UI up")
	f.StringVar(&cfg.Dir, "dir", "", "directory for every file the demo writes (default: a fresh temporary directory)")
	f.DurationVar(&cfg.Round, "round", demo.DefaultRound, "the round's length, which is also its snapshot window")
	f.StringVar(&cfg.Listen, "listen", demo.DefaultListen, "address of the leaderboard and web UI")
	f.Int64Var(&cfg.Seed, "seed", 1, "seed of the orchestrators' keys, their faults and the test order")
	f.IntVar(&cfg.Orchestrators, "orchestrators", demo.DefaultOrchestrators, "reference orchestrators to run, 6 to 10")
	f.IntVar(&cfg.Segments, "segments", 2, "segments per test (each costs about 2 s of CPU: generate, transcode, verify)")
	f.IntVar(&cfg.Concurrency, "concurrency", 1, "tests each prober runs at once")
	f.DurationVar(&cfg.Pause, "pause", 2*time.Second, "wait between a prober's passes over the orchestrators")
	f.BoolVar(&verbose, "verbose", false, "log the components to stderr instead of demo.log")
	return cmd
}
