// Command podium-load loads a podium leaderboard on loopback: signed posts
// from many posters and reads of every endpoint at once, for a bounded time
// and count. It prints throughput, p50/p99 latency per endpoint, errors, and
// the records acknowledged against those stored; it exits 1 when a request
// failed or an acknowledged record is not stored exactly once. With
// --anchor it drives leaderboard-serverless the same way.
//
// Its other commands serve the side-by-side harness
// (scripts/sidebyside.sh): gen writes the history data set, read measures
// one GET's latency, compare checks two servers' aggregated_stats agree,
// and table prints the harness's results as Markdown.
//
// It is a binary of its own, not a podium subcommand: operators never need
// it, and the server they deploy should not carry a load generator.
//
//	PODIUM_SECRET=… podium-load --url http://127.0.0.1:8088 --duration 2m
//	podium-load gen|read|compare|table -h
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	args := os.Args[1:]
	run := runPost
	if len(args) > 0 {
		if cmd, ok := commands[args[0]]; ok {
			run, args = cmd, args[1:]
		}
	}
	if err := run(ctx, args); err != nil {
		fmt.Fprintln(os.Stderr, "podium-load:", err)
		os.Exit(1)
	}
}

// commands are the subcommands besides the default, posting load.
var commands = map[string]func(context.Context, []string) error{
	"gen":     runGen,
	"read":    runRead,
	"compare": runCompare,
	"table":   runTable,
}
