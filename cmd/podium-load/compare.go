package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/podiumhq/podium/load"
)

// runCompare checks that two servers holding the same history answer
// aggregated_stats alike.
func runCompare(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("podium-load compare", flag.ContinueOnError)
	a := fs.String("url", "", "the first server's base URL (loopback only)")
	b := fs.String("against", "", "the second server's base URL (loopback only)")
	records := fs.Int("records", load.HistorySize, "how many history records both hold (sets the windows' end)")
	tol := fs.Float64("tolerance", 1e-10, "largest difference allowed between two scores")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, u := range []string{*a, *b} {
		if err := load.CheckLoopback(u); err != nil {
			return err
		}
	}
	ws := load.CompareWindows(load.HistoryEnd(*records))
	ag, err := load.Compare(ctx, &http.Client{Timeout: 5 * time.Minute}, *a, *b, ws, *tol)
	if err != nil {
		return fmt.Errorf("%w (largest difference %.3g)", err, ag.MaxDiff)
	}
	fmt.Printf("%d windows, %d scores agree within %g (largest difference %.3g)\n", len(ws), ag.Scores, *tol, ag.MaxDiff)
	return nil
}
