package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/snapshot"
)

// snapshotCmd is `podium snapshot`.
type snapshotCmd struct {
	m *Main

	file, dsn, out, regFile string
	round                   int
	allowEmpty              bool
}

func (m *Main) newSnapshotCmd() *cobra.Command {
	c := &snapshotCmd{m: m}
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Take (once) and print a round's frozen snapshot",
		Long: "Take a round's snapshot at its snapshot time and store it; once stored it is returned as is,\n" +
			"whatever records arrive later. The file written is the canonical JSON whose SHA-256 is its id.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	cmd.Flags().StringVar(&c.file, "program", "", "program file (YAML)")
	cmd.Flags().IntVar(&c.round, "round", 0, "round number")
	cmd.Flags().StringVar(&c.dsn, "db", "", "database: a path, sqlite:PATH or postgres://… (default ./podium.db)")
	cmd.Flags().StringVar(&c.out, "out", "", "write the snapshot to this file instead of stdout")
	cmd.Flags().StringVar(&c.regFile, "registry", "", "registry CSV (address,service_uri,name,payout_address) for names and payout addresses")
	cmd.Flags().BoolVar(&c.allowEmpty, "allow-empty", false, "freeze the snapshot even if its window holds no records")
	cmd.MarkFlagRequired("program")
	cmd.MarkFlagRequired("round")
	return cmd
}

// Run takes the round's snapshot (once) and writes it.
func (c *snapshotCmd) Run(ctx context.Context) error {
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
	var reg podium.Registry
	if c.regFile != "" {
		reg = &registry.File{Path: c.regFile}
	}
	f := &snapshot.Freezer{Stats: db, Programs: db, Registry: reg, AllowEmpty: c.allowEmpty}
	s, err := f.Freeze(ctx, p, c.round, m.Now())
	if err != nil {
		return fmt.Errorf("snapshot round %d: %w", c.round, err)
	}
	if err := m.writeOut(c.out, s.Body); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "snapshot %s round %d: %s (taken %s)\n", s.Program, s.Round, s.ID, s.TakenAt.Format("2006-01-02T15:04:05Z"))
	return nil
}

// writeOut writes b to the file path, or to stdout when path is empty.
func (m *Main) writeOut(path string, b []byte) error {
	if path == "" {
		_, err := m.Stdout.Write(b)
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return podium.Errorf(podium.EINVALID, "write %s: %w", path, err)
	}
	return nil
}

// readFile reads an input file named by flag, with an error that says which.
func readFile(flag, path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, podium.Errorf(podium.EINVALID, "--%s: %w", flag, err)
	}
	return b, nil
}
