package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/load"
)

// runGen writes the history data set: JSON lines for `podium import`, or
// rows for COPY into leaderboard-serverless's events table.
func runGen(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("podium-load gen", flag.ContinueOnError)
	n := fs.Int("records", load.HistorySize, "how many records, from the first (at most the full week)")
	format := fs.String("format", "jsonl", "jsonl (for podium import) or anchor-copy (COPY text rows of the anchor's events table)")
	ids := fs.String("region-ids", "", "anchor-copy: the anchor's region ids, e.g. MDW=5,FRA=7,…")
	out := fs.String("out", "-", "file to write (- for stdout)")
	end := fs.Bool("end", false, "print the end of the records' last 5-minute tick (unix seconds) and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *end {
		fmt.Println(load.HistoryEnd(*n))
		return nil
	}
	regionIDs, err := parseRegionIDs(*ids)
	if err != nil {
		return err
	}
	if *out == "-" {
		return load.WriteHistory(os.Stdout, *n, *format, regionIDs)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	defer f.Close()
	if err := load.WriteHistory(f, *n, *format, regionIDs); err != nil {
		return err
	}
	return f.Close()
}

// parseRegionIDs parses "MDW=5,FRA=7" (empty: none).
func parseRegionIDs(s string) (map[string]int, error) {
	ids := map[string]int{}
	if s == "" {
		return ids, nil
	}
	for _, pair := range strings.Split(s, ",") {
		name, id, ok := strings.Cut(pair, "=")
		n, err := strconv.Atoi(id)
		if !ok || err != nil {
			return nil, podium.FieldError("--region-ids", "%q must be NAME=ID, e.g. FRA=7", pair)
		}
		ids[name] = n
	}
	return ids, nil
}
