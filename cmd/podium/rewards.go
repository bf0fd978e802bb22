package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/rules"
)

// rewardsCmd is `podium rewards`.
type rewardsCmd struct {
	m *Main

	file, snapFile, format, out string
	round                       int
}

func (m *Main) newRewardsCmd() *cobra.Command {
	c := &rewardsCmd{m: m}
	cmd := &cobra.Command{
		Use:   "rewards",
		Short: "Compute a round's distribution from its rules and snapshot",
		Long: "Compute a round's distribution (docs/design.md §5.6): a pure function of the round's rules and the\n" +
			"snapshot file, the same bytes every time. json is the canonical distribution whose SHA-256 is its id.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	cmd.Flags().StringVar(&c.file, "program", "", "program file (YAML)")
	cmd.Flags().IntVar(&c.round, "round", 0, "round number")
	cmd.Flags().StringVar(&c.snapFile, "snapshot", "", "the round's snapshot file (from podium snapshot)")
	cmd.Flags().StringVar(&c.format, "format", "json", "json, csv or md")
	cmd.Flags().StringVar(&c.out, "out", "", "write to this file instead of stdout")
	for _, f := range []string{"program", "round", "snapshot"} {
		cmd.MarkFlagRequired(f)
	}
	return cmd
}

// Run computes the round's distribution and writes it.
func (c *rewardsCmd) Run(ctx context.Context) error {
	m := c.m
	p, _, err := program.Load(c.file)
	if err != nil {
		return err
	}
	b, err := readFile("snapshot", c.snapFile)
	if err != nil {
		return err
	}
	s, err := podium.ParseSnapshot(b)
	if err != nil {
		return err
	}
	o, err := rules.Compute(p, c.round, s)
	if err != nil {
		return err
	}
	d := &o.Distribution
	var body []byte
	switch c.format {
	case "json":
		body, err = d.Canonical()
	case "csv":
		body = report.DistributionCSV(d, s.Name)
	case "md":
		body, err = report.DistributionMarkdown(d, s.Name)
	default:
		return podium.FieldError("format", "%q is not a format; use json, csv or md", c.format)
	}
	if err != nil {
		return err
	}
	if err := m.writeOut(c.out, body); err != nil {
		return err
	}
	id, err := d.ID()
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "distribution %s round %d: %s, %d recipients, total %s, undistributed %s\n",
		d.Program, d.Round, id, len(d.Recipients), d.Total, d.Undistributed)
	return nil
}
