package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/podiumhq/podium/load"
)

// runTable prints the harness's results file as the side-by-side table.
func runTable(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("podium-load table", flag.ContinueOnError)
	records := fs.Int("records", load.HistorySize, "size of the bulk load")
	posts := fs.Int("posts", 0, "posts per ingest run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("table: give one results file (lines \"figure system value load\")")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("table: %w", err)
	}
	defer f.Close()
	rs, err := load.ParseResults(f)
	if err != nil {
		return fmt.Errorf("table %s: %w", fs.Arg(0), err)
	}
	load.WriteTable(os.Stdout, rs, *records, *posts)
	return nil
}
