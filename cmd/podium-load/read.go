package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/podiumhq/podium/load"
)

// runRead measures the latency of the side-by-side board reads on one
// server and prints "name p50-seconds" per window.
func runRead(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("podium-load read", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8088", "the leaderboard's base URL (loopback only)")
	records := fs.Int("records", load.HistorySize, "how many history records the server holds (sets the windows' end)")
	n := fs.Int("n", 11, "requests per window (after one not counted)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := load.CheckLoopback(*url); err != nil {
		return err
	}
	c := &http.Client{Timeout: 5 * time.Minute}
	for i, w := range load.Windows7d24h(load.HistoryEnd(*records)) {
		if _, err := load.Latency(ctx, c, *url+w.Path, 1); err != nil { // warm: connection, caches
			return err
		}
		ds, err := load.Latency(ctx, c, *url+w.Path, *n)
		if err != nil {
			return err
		}
		fmt.Printf("%s %.6f\n", []string{load.FigureAgg7d, load.FigureAgg24h}[i], load.Median(ds).Seconds())
	}
	return nil
}
