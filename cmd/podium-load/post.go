package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/podiumhq/podium/load"
)

// postSummary is the one-line JSON summary --summary writes.
type postSummary struct {
	Acked     int     `json:"acked"`
	Stored    int     `json:"stored"`
	Elapsed   float64 `json:"elapsed_s"`
	PerSecond float64 `json:"records_per_s"`
	Errors    int     `json:"errors"`
}

func runPost(ctx context.Context, args []string) error {
	var cfg load.Config
	var pages, regions, summary string
	fs := flag.NewFlagSet("podium-load", flag.ContinueOnError)
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8088", "the leaderboard's base URL (loopback only)")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long to load")
	fs.IntVar(&cfg.MaxPosts, "posts", 0, "stop after this many acknowledged posts (0: no bound)")
	fs.IntVar(&cfg.Posters, "posters", 16, "concurrent posters")
	fs.IntVar(&cfg.Readers, "readers", 4, "concurrent readers (0: none)")
	fs.IntVar(&cfg.Orchestrators, "orchestrators", 20, "orchestrators the records are about")
	fs.StringVar(&regions, "regions", "MDW,FRA,SIN", "comma-separated regions the records are about")
	fs.StringVar(&pages, "pages", "/api/v1/rounds", "comma-separated extra GET paths to read (UI pages, program API)")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed of the records' contents")
	fs.BoolVar(&cfg.Anchor, "anchor", false, "the server is leaderboard-serverless: a 200 acknowledges, stored records are found by content")
	fs.StringVar(&summary, "summary", "", "also write a one-line JSON summary (acked, stored, elapsed_s, records_per_s, errors) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	secret := os.Getenv("PODIUM_SECRET")
	if secret == "" {
		return fmt.Errorf("PODIUM_SECRET is empty: set it to the server's secret")
	}
	cfg.Secret = []byte(secret)
	cfg.Regions = strings.Split(regions, ",")
	if pages != "" {
		cfg.Pages = strings.Split(pages, ",")
	}
	cfg.RunID = fmt.Sprintf("load-%d", time.Now().UnixNano())
	rep, err := load.Run(ctx, cfg)
	if err != nil {
		return err
	}
	var stored map[string]bool
	var dups int
	if cfg.Anchor {
		stored, dups, err = load.StoredAnchor(ctx, cfg, rep)
	} else {
		stored, dups, err = load.Stored(ctx, cfg)
	}
	if err != nil {
		return err
	}
	rep.Write(os.Stdout, len(stored))
	if summary != "" {
		s := postSummary{Acked: len(rep.Acked), Stored: len(stored), Elapsed: rep.Elapsed.Seconds(),
			PerSecond: float64(len(rep.Acked)) / rep.Elapsed.Seconds(), Errors: rep.Errors}
		data, _ := json.Marshal(s)
		if err := os.WriteFile(summary, append(data, '\n'), 0o644); err != nil {
			return fmt.Errorf("write the summary: %w", err)
		}
	}
	missing := load.Missing(rep.Acked, stored)
	switch {
	case rep.Errors > 0:
		return fmt.Errorf("%d requests failed", rep.Errors)
	case len(missing) > 0:
		return fmt.Errorf("%d acknowledged records are not stored, e.g. %s", len(missing), missing[0])
	case len(stored) != len(rep.Acked) || dups > 0:
		return fmt.Errorf("stored %d (%d twice), acknowledged %d", len(stored), dups, len(rep.Acked))
	}
	return nil
}
