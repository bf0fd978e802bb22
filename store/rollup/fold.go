package rollup

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/podiumhq/podium"
)

// Folding. A write appends its records to the stats table and nothing else:
// one insert per post, whatever the number of bucket widths. The records are
// added to their rollup cells later, in batches, by a fold: it reads the
// records appended since the last fold in the order they were appended
// (stats.id), adds them to their cells (and to the packs of sealed cells,
// as a late record was before), and moves the fold mark (fold_state.seq)
// past them, all in one transaction. A query adds the records past the mark
// to the rollups it reads, in the same statement, so answers are exact
// whether a record is folded yet or not; a backlog only makes them slower.
//
// The mark is safe only if no record with a smaller id commits after it
// moved. SQLite has one writer at a time, and ids grow with it. PostgreSQL
// hands out ids before commit, so a fold first takes the lock every writer
// shares (the horizon row) for a moment, to read the largest id once all
// writers that had one have ended; see store/postgres/fold.go.
const (
	// FoldInterval is how often the store's upkeep folds the records
	// appended since the last fold.
	FoldInterval = time.Second

	// FoldBatch is the most records one fold transaction takes, so that
	// a backlog (an import, a long outage of the upkeep) is folded in
	// steps and the packer and other writers wait at most one step.
	FoldBatch = 50_000

	// FoldKick is how many records appended since the last fold make a
	// writer wake the folder before its interval is up: a burst is folded
	// while it is small, and queries never read a long tail raw.
	FoldKick = 8192
)

// Unfolded is a record appended since the last fold, as a fold reads it.
type Unfolded struct {
	ID, Series, Timestamp int64
	Agg                   podium.Aggregate
}

// Add adds a folded record's sums to every width's bucket.
func (d Deltas) Add(u Unfolded) {
	for _, w := range Widths {
		c := Cell{Width: w, Bucket: Floor(u.Timestamp, w), Series: u.Series}
		d[c] = d[c].Add(u.Agg)
	}
}

// FoldSpan returns the part of a window's plan read from rollups, as one
// range [from, to): the records past the fold mark with a time in it are
// added to the rollups read. ok is false when the plan reads no rollups.
func FoldSpan(p Plan) (from, to int64, ok bool) {
	if len(p.Spans) == 0 {
		return 0, 0, false
	}
	from, to = p.Spans[0].From, p.Spans[0].To
	for _, s := range p.Spans[1:] {
		from, to = min(from, s.From), max(to, s.To)
	}
	return from, to, true
}

// StartUpkeep runs a store's upkeep in the background until stop is called:
// fold every FoldInterval (and when kick fires), and pack every PackInterval,
// sealing the cells that ended SealDelay before now(). Both run at once at
// start. Failures are logged: queries stay exact without folds and packs,
// only slower. Only the process that owns the store's upkeep (serve, the
// demo's leaderboard) runs it, by the store's StartPacker; now is its
// injected clock. stop returns once the running step has.
func StartUpkeep(logger *slog.Logger, now func() time.Time, kick <-chan struct{},
	fold func(ctx context.Context) (int, error), pack func(ctx context.Context, horizon int64) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		folds := time.NewTicker(FoldInterval)
		defer folds.Stop()
		packs := time.NewTicker(PackInterval)
		defer packs.Stop()
		foldAll(ctx, logger, fold)
		packOnce(ctx, logger, now, pack)
		for {
			select {
			case <-ctx.Done():
				return
			case <-kick:
				foldAll(ctx, logger, fold)
			case <-folds.C:
				foldAll(ctx, logger, fold)
			case <-packs.C:
				foldAll(ctx, logger, fold)
				packOnce(ctx, logger, now, pack)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// foldAll folds until no record is left past the mark.
func foldAll(ctx context.Context, logger *slog.Logger, fold func(ctx context.Context) (int, error)) {
	for ctx.Err() == nil {
		n, err := fold(ctx)
		if err != nil {
			if ctx.Err() == nil {
				logger.Warn("folding records into rollups failed; queries stay exact, only slower", "component", "store", "err", err)
			}
			return
		}
		if n < FoldBatch {
			return
		}
	}
}

func packOnce(ctx context.Context, logger *slog.Logger, now func() time.Time, pack func(ctx context.Context, horizon int64) error) {
	start := time.Now() // the real clock: this times the work
	err := pack(ctx, now().Add(-SealDelay).Unix())
	switch took := time.Since(start); {
	case err != nil && ctx.Err() == nil:
		logger.Warn("packing rollups failed; queries stay exact, only slower", "component", "store", "err", err)
	case err == nil && took > time.Second:
		logger.Info("packed rollups", "component", "store", "took", took.Round(time.Millisecond))
	}
}

// Backlog counts, roughly, the records appended since the last fold in this
// process, and wakes the folder once FoldKick of them wait. Its zero value
// is ready to use.
type Backlog struct {
	n    atomic.Int64
	once sync.Once
	kick chan struct{}
}

func (b *Backlog) init() { b.once.Do(func() { b.kick = make(chan struct{}, 1) }) }

// Kick is the channel StartUpkeep folds on.
func (b *Backlog) Kick() <-chan struct{} {
	b.init()
	return b.kick
}

// Appended counts n records appended.
func (b *Backlog) Appended(n int) {
	b.init()
	if n > 0 && b.n.Add(int64(n)) >= FoldKick {
		select {
		case b.kick <- struct{}{}:
		default:
		}
	}
}

// Folded counts n records folded.
func (b *Backlog) Folded(n int) { b.n.Add(-int64(n)) }
