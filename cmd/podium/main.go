// Command podium runs a performance incentive program for Livepeer
// orchestrators: one binary, one subcommand per job.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		os.Exit(m.Report(err))
	}
}

// Main holds what every subcommand needs from the process: its streams, its
// environment, its clock and its logger. Tests build their own Main and call
// Run with arguments, so no subcommand reads a global.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time
	Logger *slog.Logger

	// Ready, when set, is called by long-running subcommands with the address
	// they listen on, once they accept connections (tests start them on :0).
	Ready func(name, addr string)

	// settings are the running subcommand's settings, resolved from its
	// flags, the environment and the config file before it runs.
	settings []config.Setting
}

// NewMain returns a Main wired to the real process.
func NewMain() *Main {
	return &Main{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		Now:    time.Now,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
}

// Run parses args and runs the chosen subcommand until it ends or ctx is done.
func (m *Main) Run(ctx context.Context, args []string) error {
	root := &cobra.Command{
		Use:           "podium",
		Short:         "Run a performance incentive program for Livepeer orchestrators",
		SilenceUsage:  true,
		SilenceErrors: true,
		// Every subcommand reads the config file before it runs.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return m.configure(cmd) },
	}
	root.PersistentFlags().String("config", "", "config file (default $PODIUM_CONFIG, else ./podium.yaml when it exists)")
	root.SetIn(m.Stdin)
	root.SetOut(m.Stdout)
	root.SetErr(m.Stderr)
	root.SetArgs(args)
	for _, newCmd := range m.commands() {
		root.AddCommand(newCmd())
	}
	return root.ExecuteContext(ctx)
}

// commands lists the subcommands; each lives in its own file.
func (m *Main) commands() []func() *cobra.Command {
	return []func() *cobra.Command{
		m.newVersionCmd,
		m.newNodeCmd,
		m.newProgramCmd,
		m.newSnapshotCmd,
		m.newRewardsCmd,
		m.newReportCmd,
		m.newVerifyCmd,
		m.newServeCmd,
		m.newPostCmd,
		m.newImportCmd,
		m.newCheckCmd,
		m.newProbeCmd,
		m.newDevchainCmd,
		m.newDemoCmd,
		m.newPayoutCmd,
		m.newSenderCmd,
		m.newRegistryCmd,
		m.newConfigCmd,
	}
}

// Report prints err for a person, with its hint, and returns the exit status.
func (m *Main) Report(err error) int {
	var exit *exitError
	if errors.As(err, &exit) {
		return exit.code // the subcommand has said all there is to say
	}
	fmt.Fprintf(m.Stderr, "podium: %v\n", err)
	if hint := podium.ErrorHint(err); hint != "" {
		fmt.Fprintf(m.Stderr, "hint: %s\n", hint)
	}
	return podium.ExitStatus(podium.ErrorCode(err))
}

// exitError asks for a specific exit status without another message (for
// example `podium check` exits 1 on a mismatch after printing its verdict).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// ready reports that name listens on addr.
func (m *Main) ready(name, addr string) {
	m.Logger.Info("listening", "component", name, "addr", addr)
	if m.Ready != nil {
		m.Ready(name, addr)
	}
}
