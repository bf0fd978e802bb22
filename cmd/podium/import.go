package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/store/rollup"
	"github.com/podiumhq/podium/web"
)

// importBatch is how many records go into one store transaction (a COPY on
// PostgreSQL).
const importBatch = 50_000

// importCmd is `podium import`.
type importCmd struct {
	m *Main

	dsn, regions string
	path         string // FILE, or - for stdin
}

func (m *Main) newImportCmd() *cobra.Command {
	c := &importCmd{m: m}
	cmd := &cobra.Command{
		Use:   "import FILE|-",
		Short: "Import stats records (JSON lines) straight into the store",
		Long: `Import the stats records of FILE (JSON lines; - for stdin) into the store,
for history and for moving off a leaderboard-serverless database. Records with
a test_id already stored are skipped, so importing twice changes nothing. An
invalid line is reported with its number and field; the valid ones are
imported, and the command then exits non-zero.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.path = args[0]
			return c.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&c.dsn, "db", "./podium.db", "database: a SQLite path (or sqlite:PATH) or a postgres:// URL")
	cmd.Flags().StringVar(&c.regions, "regions", "", "YAML list of regions {id, name, type or types: [transcoding, ai]} (default leaderboard-serverless's seeded regions)")
	return cmd
}

// importStats counts what an import did.
type importStats struct {
	added, duplicates, invalid int
}

// Run imports the records of the file, then folds and packs them.
func (c *importCmd) Run(ctx context.Context) error {
	m := c.m
	regions, err := loadRegions(c.regions)
	if err != nil {
		return err
	}
	in, size, closeIn, err := m.openInput(c.path)
	if err != nil {
		return err
	}
	defer closeIn()
	st, err := store.Open(ctx, c.dsn, m.Logger)
	if err != nil {
		return err
	}
	defer st.Close()

	bar := progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(m.Stderr),
		progressbar.OptionSetDescription("import"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(m.Stderr) }),
	)
	counted := io.TeeReader(in, bar)
	known := podium.NewRegionSet(regions)
	var res importStats
	// One goroutine reads and decodes the lines into batches while this
	// one stores the batch before: parsing runs on one core while the
	// store (or the database server) works on the other. One parsed batch
	// at most waits for the store, so memory stays bounded.
	batches := make(chan []podium.Stats, 1)
	parseCtx, stopParse := context.WithCancel(ctx)
	defer stopParse()
	var invalid int
	parsed := make(chan error, 1)
	go func() {
		defer close(batches)
		now := m.Now()
		batch := make([]podium.Stats, 0, importBatch)
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]podium.Stats, 0, importBatch)
				return nil
			case <-parseCtx.Done():
				return parseCtx.Err()
			}
		}
		err := readLines(counted, func(n int, line []byte) error {
			rec, err := web.DecodeStats(line)
			if err == nil {
				err = rec.Normalize(known, now)
			}
			if err != nil {
				invalid++
				bar.Clear()
				fmt.Fprintf(m.Stderr, "line %d: %v\n", n, err)
				return nil
			}
			batch = append(batch, rec)
			if len(batch) == importBatch {
				return send()
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		parsed <- err
	}()
	for batch := range batches {
		if err != nil {
			continue // drain: the parser stops at its next send
		}
		added, serr := st.ImportStats(ctx, batch)
		if serr != nil {
			err = fmt.Errorf("store %d records: %w", len(batch), serr)
			stopParse()
			continue
		}
		res.added += added
		res.duplicates += len(batch) - added
	}
	if perr := <-parsed; err == nil {
		err = perr
	}
	res.invalid = invalid // read after the parser ended
	bar.Finish()
	if err == nil && res.added > 0 {
		err = m.settle(ctx, st, res.added)
	}
	fmt.Fprintf(m.Stdout, "imported %d records, skipped %d already stored, %d invalid lines\n", res.added, res.duplicates, res.invalid)
	if err != nil {
		return err
	}
	if res.invalid > 0 {
		return podium.Errorf(podium.EINVALID, "%d invalid lines were not imported (the valid ones were)", res.invalid).
			WithHint("fix the lines reported above and import the file again; records already stored are skipped")
	}
	return nil
}

// settle folds the imported records into their rollups, in the foreground
// and with progress, and then packs the cells that have ended: afterwards
// queries read what a live store's would. Records appended here and never
// folded (an import stopped half-way) are still counted by every query and
// are folded by the next import or by podium serve's upkeep.
func (m *Main) settle(ctx context.Context, st *store.DB, added int) error {
	bar := progressbar.NewOptions(added,
		progressbar.OptionSetWriter(m.Stderr),
		progressbar.OptionSetDescription("fold into rollups"),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(m.Stderr) }),
	)
	for {
		n, err := st.Fold(ctx)
		if err != nil {
			bar.Clear()
			return fmt.Errorf("fold the imported records into rollups: %w", err)
		}
		if n == 0 {
			break
		}
		bar.Add(n)
	}
	bar.Finish()
	fmt.Fprintln(m.Stderr, "packing sealed rollups…")
	if err := st.Pack(ctx, m.Now().Add(-rollup.SealDelay).Unix()); err != nil {
		return fmt.Errorf("pack the imported rollups: %w", err)
	}
	return nil
}
