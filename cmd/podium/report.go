package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/snapshot"
)

// reportCmd is `podium report`.
type reportCmd struct {
	m *Main

	program, dsn, registry, snapshot, payments, out string
	round                                           int
	brink                                           float64
	kind                                            string // kickoff, projection or results
}

func (m *Main) newReportCmd() *cobra.Command {
	c := &reportCmd{m: m}
	cmd := &cobra.Command{
		Use:   "report kickoff|projection|results",
		Short: "Write a round's forum report: Markdown, PNG tables per region and an HTML page",
		Long: "kickoff: standings over the window before the round starts (needs --db).\n" +
			"projection: standings and projected rewards now (needs --db).\n" +
			"results: the round's rewards from its snapshot (--snapshot FILE, or the one stored in --db),\n" +
			"with the payout transactions when --payments FILE is given.\n" +
			"Without --out the Markdown goes to stdout; with --out DIR, report.md, report.html and one PNG\n" +
			"per region are written there.",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{report.Kickoff, report.Projection, report.Results},
		RunE: func(cmd *cobra.Command, args []string) error {
			c.kind = args[0]
			return c.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&c.program, "program", "", "program file (YAML)")
	cmd.Flags().IntVar(&c.round, "round", 0, "round number")
	cmd.Flags().StringVar(&c.dsn, "db", "", "database: a path, sqlite:PATH or postgres://… (default ./podium.db)")
	cmd.Flags().StringVar(&c.registry, "registry", "", "registry CSV for names")
	cmd.Flags().StringVar(&c.snapshot, "snapshot", "", "results: the round's snapshot file")
	cmd.Flags().StringVar(&c.payments, "payments", "", `results: payout status JSON {"payments":[{"address":"0x…","tx_hash":"0x…"}]}`)
	cmd.Flags().StringVar(&c.out, "out", "", "directory to write report.md, report.html and the PNG tables to")
	cmd.Flags().Float64Var(&c.brink, "brink", 0.5, "points under the minimum score that count as on the brink")
	cmd.MarkFlagRequired("program")
	cmd.MarkFlagRequired("round")
	return cmd
}

// Run builds the report and writes it.
func (c *reportCmd) Run(ctx context.Context) error {
	m, kind := c.m, c.kind
	p, _, err := program.Load(c.program)
	if err != nil {
		return err
	}
	r, err := p.Round(c.round)
	if err != nil {
		return err
	}
	in := report.Input{Kind: kind, Program: p, Round: r.ID, Brink: c.brink}
	if c.registry != "" {
		// For the flag on entries that share a service URI or host.
		if in.Registry, err = (&registry.File{Path: c.registry}).Orchestrators(ctx); err != nil {
			return err
		}
	}
	switch kind {
	case report.Kickoff:
		if in.Snapshot, err = c.takeAt(ctx, p, r.ID, r.Start, r.Snapshot.Window); err != nil {
			return err
		}
	case report.Projection:
		// The projection the API and the pages show: the round service's.
		if in.Snapshot, err = c.projection(ctx, p, r.ID); err != nil {
			return err
		}
	case report.Results:
		if in.Snapshot, err = c.roundSnapshot(ctx, p); err != nil {
			return err
		}
		if c.payments != "" {
			if in.Payments, err = readPayments(c.payments); err != nil {
				return err
			}
		}
	default:
		return podium.Errorf(podium.EINVALID, "%q is not a report; use kickoff, projection or results", kind)
	}
	rep, err := report.Build(in)
	if err != nil {
		return err
	}
	if c.out == "" {
		_, err := m.Stdout.Write(rep.Markdown())
		return err
	}
	return writeReport(rep, c.out, m)
}

func (c *reportCmd) takeAt(ctx context.Context, p *podium.Program, id int, at time.Time, window time.Duration) (*podium.Snapshot, error) {
	db, err := c.m.openProgramDB(ctx, c.dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var reg podium.Registry
	if c.registry != "" {
		reg = &registry.File{Path: c.registry}
	}
	return snapshot.TakeAt(ctx, db, reg, p, id, at, window)
}

// projection is the snapshot of round id's projection now, from the round
// service, as `podium serve` answers /api/v1/rounds/ID/projection.
func (c *reportCmd) projection(ctx context.Context, p *podium.Program, id int) (*podium.Snapshot, error) {
	db, err := c.m.openProgramDB(ctx, c.dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	svc := &round.Service{Program: p, Stats: db, Versions: db, Now: c.m.Now}
	if c.registry != "" {
		svc.Registry = &registry.File{Path: c.registry}
	}
	proj, err := svc.Projection(ctx, id)
	if err != nil {
		return nil, err
	}
	return proj.Snapshot, nil
}

func (c *reportCmd) roundSnapshot(ctx context.Context, p *podium.Program) (*podium.Snapshot, error) {
	if c.snapshot != "" {
		b, err := readFile("snapshot", c.snapshot)
		if err != nil {
			return nil, err
		}
		return podium.ParseSnapshot(b)
	}
	db, err := c.m.openProgramDB(ctx, c.dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	s, err := db.Snapshot(ctx, p.Name, c.round)
	if err != nil {
		return nil, err
	}
	return podium.ParseSnapshot(s.Body)
}

// readPayments reads a payout status file: which transaction paid whom.
func readPayments(path string) (map[string]string, error) {
	b, err := readFile("payments", path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Payments []struct {
			Address string `json:"address"`
			TxHash  string `json:"tx_hash"`
		} `json:"payments"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, podium.Errorf(podium.EINVALID, "--payments %s: %w", path, err).
			WithHint(`write {"payments":[{"address":"0x…","tx_hash":"0x…"}]}`)
	}
	out := map[string]string{}
	for _, p := range doc.Payments {
		out[strings.ToLower(p.Address)] = p.TxHash
	}
	return out, nil
}

func writeReport(rep *report.Report, dir string, m *Main) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return podium.Errorf(podium.EINVALID, "--out: %w", err)
	}
	files := map[string][]byte{"report.md": rep.Markdown()}
	page, err := rep.HTML()
	if err != nil {
		return err
	}
	files["report.html"] = page
	for _, reg := range rep.Regions {
		b, err := rep.PNG(reg)
		if err != nil {
			return err
		}
		files[rep.ImageName(reg.ID)] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return podium.Errorf(podium.EINVALID, "write %s: %w", name, err)
		}
	}
	fmt.Fprintf(m.Stdout, "wrote %d files to %s\n", len(files), dir)
	return nil
}
