package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/snapshot"
)

func (m *Main) newSnapshotCmd() *cobra.Command {
	var file, dsn, out, regFile string
	var round int
	var allowEmpty bool
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Take (once) and print a round's frozen snapshot",
		Long: "Take a round's snapshot at its snapshot time and store it; once stored it is returned as is,\n" +
			"whatever records arrive later. The file written is the canonical JSON whose SHA-256 is its id.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, _, err := program.Load(file)
			if err != nil {
				return err
			}
			db, err := m.openProgramDB(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			var reg podium.Registry
			if regFile != "" {
				reg = &registry.File{Path: regFile}
			}
			f := &snapshot.Freezer{Stats: db, Programs: db, Registry: reg, AllowEmpty: allowEmpty}
			s, err := f.Freeze(cmd.Context(), p, round, m.Now())
			if err != nil {
				return fmt.Errorf("snapshot round %d: %w", round, err)
			}
			if err := m.writeOut(out, s.Body); err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "snapshot %s round %d: %s (taken %s)\n", s.Program, s.Round, s.ID, s.TakenAt.Format("2006-01-02T15:04:05Z"))
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "program", "", "program file (YAML)")
	cmd.Flags().IntVar(&round, "round", 0, "round number")
	cmd.Flags().StringVar(&dsn, "db", "", "database: a path, sqlite:PATH or postgres://… (default ./podium.db)")
	cmd.Flags().StringVar(&out, "out", "", "write the snapshot to this file instead of stdout")
	cmd.Flags().StringVar(&regFile, "registry", "", "registry CSV (address,service_uri,name,payout_address) for names and payout addresses")
	cmd.Flags().BoolVar(&allowEmpty, "allow-empty", false, "freeze the snapshot even if its window holds no records")
	cmd.MarkFlagRequired("program")
	cmd.MarkFlagRequired("round")
	return cmd
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
