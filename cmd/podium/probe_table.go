package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/podiumhq/podium/probe"
)

// printCycle prints one line per test of a `podium probe --once` cycle.
func printCycle(w io.Writer, c probe.Cycle, spooled int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ORCHESTRATOR\tSUCCESS\tRTT\tVERIFIED\tFAILURES\tERRORS")
	for _, r := range c.Results {
		s := r.Stats
		errs := make([]string, 0, len(s.Errors))
		for _, e := range s.Errors {
			errs = append(errs, fmt.Sprintf("%s×%d", e.ErrorCode, e.Count))
		}
		errText := strings.Join(errs, ",")
		if errText == "" {
			errText = "-"
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%.3fs\t%d\t%d\t%s\n", r.Target.DisplayName(), s.SuccessRate, s.RoundTripTime,
			s.VerifiedRenditions, s.VerificationFailures, errText)
	}
	tw.Flush()
	if c.Fault {
		fmt.Fprintf(w, "tester at fault (%s): %d failed tests withheld\n", c.FaultReason, c.Withheld)
	}
	fmt.Fprintf(w, "recorded %d, withheld %d, waiting in spool %d\n", c.Recorded, c.Withheld, spooled)
	if c.OverCap > 0 {
		fmt.Fprintf(w, "price over cap (not tested): %d\n", c.OverCap)
	}
	if c.Cost.Tickets > 0 {
		fmt.Fprintf(w, "cost: %d tickets, expected value %s wei\n", c.Cost.Tickets, c.Cost.EV.FloatString(0))
	}
}

// printLogs prints the log each failed test kept, so an operator sees why.
func printLogs(w io.Writer, c probe.Cycle) {
	for _, r := range c.Results {
		if probe.Clean(r) {
			continue
		}
		fmt.Fprintf(w, "\n== %s (%s) %s\n%s", r.Target.DisplayName(), r.Stats.Orchestrator, r.Stats.TestID, r.Log)
	}
}
