package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/rules"
)

func (m *Main) newRewardsCmd() *cobra.Command {
	var file, snapFile, format, out string
	var round int
	cmd := &cobra.Command{
		Use:   "rewards",
		Short: "Compute a round's distribution from its rules and snapshot",
		Long: "Compute a round's distribution (docs/design.md §5.6): a pure function of the round's rules and the\n" +
			"snapshot file, the same bytes every time. json is the canonical distribution whose SHA-256 is its id.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, _, err := program.Load(file)
			if err != nil {
				return err
			}
			b, err := readFile("snapshot", snapFile)
			if err != nil {
				return err
			}
			s, err := podium.ParseSnapshot(b)
			if err != nil {
				return err
			}
			o, err := rules.Compute(p, round, s)
			if err != nil {
				return err
			}
			d := &o.Distribution
			var body []byte
			switch format {
			case "json":
				body, err = d.Canonical()
			case "csv":
				body = report.DistributionCSV(d, s.Name)
			case "md":
				body, err = report.DistributionMarkdown(d, s.Name)
			default:
				return podium.FieldError("format", "%q is not a format; use json, csv or md", format)
			}
			if err != nil {
				return err
			}
			if err := m.writeOut(out, body); err != nil {
				return err
			}
			id, err := d.ID()
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "distribution %s round %d: %s, %d recipients, total %s, undistributed %s\n",
				d.Program, d.Round, id, len(d.Recipients), d.Total, d.Undistributed)
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "program", "", "program file (YAML)")
	cmd.Flags().IntVar(&round, "round", 0, "round number")
	cmd.Flags().StringVar(&snapFile, "snapshot", "", "the round's snapshot file (from podium snapshot)")
	cmd.Flags().StringVar(&format, "format", "json", "json, csv or md")
	cmd.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	for _, f := range []string{"program", "round", "snapshot"} {
		cmd.MarkFlagRequired(f)
	}
	return cmd
}
