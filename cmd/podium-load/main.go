// Command podium-load loads a podium leaderboard on loopback: signed posts
// from many posters and reads of every endpoint at once, for a bounded time
// and count. It prints throughput, p50/p99 latency per endpoint, errors, and
// the records acknowledged against those stored; it exits 1 when a request
// failed or an acknowledged record is not stored exactly once.
//
// It is a binary of its own, not a podium subcommand: operators never need
// it, and the server they deploy should not carry a load generator.
//
//	PODIUM_SECRET=… podium-load --url http://127.0.0.1:8088 --duration 2m
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/podiumhq/podium/load"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "podium-load:", err)
		os.Exit(1)
	}
}

func run() error {
	var cfg load.Config
	var pages string
	flag.StringVar(&cfg.URL, "url", "http://127.0.0.1:8088", "the leaderboard's base URL (loopback only)")
	flag.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long to load")
	flag.IntVar(&cfg.MaxPosts, "posts", 0, "stop after this many acknowledged posts (0: no bound)")
	flag.IntVar(&cfg.Posters, "posters", 16, "concurrent posters")
	flag.IntVar(&cfg.Readers, "readers", 4, "concurrent readers")
	flag.IntVar(&cfg.Orchestrators, "orchestrators", 20, "orchestrators the records are about")
	flag.StringVar(&pages, "pages", "/api/v1/rounds", "comma-separated extra GET paths to read (UI pages, program API)")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "seed of the records' contents")
	flag.Parse()
	secret := os.Getenv("PODIUM_SECRET")
	if secret == "" {
		return fmt.Errorf("PODIUM_SECRET is empty: set it to the server's secret")
	}
	cfg.Secret = []byte(secret)
	if pages != "" {
		cfg.Pages = strings.Split(pages, ",")
	}
	cfg.RunID = fmt.Sprintf("load-%d", time.Now().UnixNano())
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	rep, err := load.Run(ctx, cfg)
	if err != nil {
		return err
	}
	stored, dups, err := load.Stored(ctx, cfg)
	if err != nil {
		return err
	}
	rep.Write(os.Stdout, len(stored))
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
