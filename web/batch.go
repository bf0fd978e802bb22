package web

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/podiumhq/podium"
)

// batcher group-commits posts: a few writer goroutines each take every
// record queued while they were busy and store them in one transaction.
// Each caller is answered only after the transaction holding its record has
// committed, so an acknowledged post is durable, and the store sees a few
// large transactions instead of one per post.
type batcher struct {
	store    podium.StatsStore
	logger   *slog.Logger
	maxBatch int
	onCommit func(size int)

	keys     sync.Mutex         // guards recent and inflight
	recent   recentKeys         // keys committed lately
	inflight map[string]*flight // keys in batches being committed

	mu      sync.RWMutex // guards closed against sends on reqs
	closed  bool
	reqs    chan *addRequest
	writers sync.WaitGroup
}

type addRequest struct {
	rec   podium.Stats
	reply chan addResult
}

type addResult struct {
	duplicate bool
	err       error
}

// flight is one batch's commit, which posts of the same records wait for.
type flight struct {
	done chan struct{}
	err  error
}

var errShuttingDown = &podium.Error{Code: podium.EUNAVAILABLE, Message: "the server is shutting down", Hint: "retry the post"}

// newBatcher starts writers goroutines (at least 1). One is right for
// SQLite, which has one writer anyway; PostgreSQL commits several
// transactions at once.
func newBatcher(store podium.StatsStore, logger *slog.Logger, maxBatch, writers int, onCommit func(int)) *batcher {
	b := &batcher{
		store:    store,
		logger:   logger,
		maxBatch: maxBatch,
		onCommit: onCommit,
		recent:   recentKeys{cur: map[string]bool{}, max: 1 << 16},
		inflight: make(map[string]*flight),
		reqs:     make(chan *addRequest, maxBatch),
	}
	for range max(writers, 1) {
		b.writers.Add(1)
		go b.run()
	}
	return b
}

// add stores rec and reports whether it was already stored (same Key). It
// returns once the record is committed, or with ctx's error (the record may
// still be committed then: its key makes a retry safe).
func (b *batcher) add(ctx context.Context, rec podium.Stats) (duplicate bool, err error) {
	if stored, err := isStored(ctx, b.store, rec); err != nil {
		b.logger.Error("look up stats", "err", err)
		return false, unavailable(err)
	} else if stored {
		return true, nil
	}
	req := &addRequest{rec: rec, reply: make(chan addResult, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return false, errShuttingDown
	}
	select {
	case b.reqs <- req:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return false, ctx.Err()
	}
	select {
	case res := <-req.reply:
		return res.duplicate, res.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// close stops accepting records, commits those already queued and waits.
func (b *batcher) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.reqs)
	}
	b.mu.Unlock()
	b.writers.Wait()
}

func (b *batcher) run() {
	defer b.writers.Done()
	batch := make([]*addRequest, 0, b.maxBatch)
	for req := range b.reqs {
		batch = append(batch[:0], req)
	fill:
		for len(batch) < b.maxBatch {
			select {
			case r, ok := <-b.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		b.commit(batch)
	}
}

// commit writes one batch in one AddStats call and answers every request.
// Callers have already checked that their record was not stored (isStored,
// run concurrently by the handlers, outside this path); commit catches the
// posts of one record that raced past that check: a second one in the same
// batch or in a recent batch is a duplicate, and one whose record is being
// committed by another writer waits for that commit's outcome.
func (b *batcher) commit(batch []*addRequest) {
	ctx := context.Background() // a commit, once started, finishes for everyone in it
	results := make([]addResult, len(batch))
	recs := make([]podium.Stats, 0, len(batch))
	keys := make([]string, 0, len(batch))
	waits := make(map[int]*flight)
	mine := &flight{done: make(chan struct{})}

	b.keys.Lock()
	for i, req := range batch {
		key := req.rec.Key()
		switch f := b.inflight[key]; {
		case f == mine || b.recent.has(key):
			results[i].duplicate = true
		case f != nil:
			waits[i] = f // flights wait only on older flights: no cycle
		default:
			b.inflight[key] = mine
			recs = append(recs, req.rec)
			keys = append(keys, key)
		}
	}
	b.keys.Unlock()

	var err error
	if len(recs) > 0 {
		var added int
		added, err = b.store.AddStats(ctx, recs)
		if err == nil && added != len(recs) {
			// Another process (a replica, an import) stored some of these
			// records since the handlers looked: they are stored once, as
			// promised, but reported as stored rather than duplicate.
			b.logger.Warn("concurrent duplicate records", "batch", len(recs), "added", added)
		}
	}
	if err != nil {
		b.logger.Error("commit stats", "records", len(recs), "err", err)
		if !errors.As(err, new(*podium.Error)) || podium.ErrorCode(err) == podium.EUNAVAILABLE {
			err = &podium.Error{Code: podium.EUNAVAILABLE, Message: "the database did not take the record", Hint: "retry the post", Err: err}
		}
	}

	b.keys.Lock()
	for _, k := range keys {
		delete(b.inflight, k)
	}
	if err == nil {
		b.recent.add(keys)
	}
	b.keys.Unlock()
	mine.err = err
	close(mine.done)

	for i, f := range waits {
		<-f.done
		results[i] = addResult{duplicate: f.err == nil, err: f.err}
	}
	for i, req := range batch {
		if err != nil && waits[i] == nil {
			results[i] = addResult{err: err}
		}
		req.reply <- results[i]
	}
	if b.onCommit != nil && err == nil {
		b.onCommit(len(recs))
	}
}

// recentKeys remembers the keys of recently committed records, in two
// generations so that memory stays bounded: enough to cover the moment
// between a handler's isStored and its record's commit.
type recentKeys struct {
	cur, prev map[string]bool
	max       int
}

func (r *recentKeys) has(key string) bool { return r.cur[key] || r.prev[key] }

func (r *recentKeys) add(keys []string) {
	for _, k := range keys {
		if len(r.cur) >= r.max {
			r.prev, r.cur = r.cur, make(map[string]bool, r.max)
		}
		r.cur[k] = true
	}
}

// isStored reports whether the store holds a record with rec's key. The
// window query of the StatsStore interface is enough: a key names one test
// of one orchestrator in one region, which has one timestamp.
func isStored(ctx context.Context, store podium.StatsStore, rec podium.Stats) (bool, error) {
	got, err := store.RawStats(ctx, podium.StatsQuery{
		Orchestrator: rec.Orchestrator, Region: rec.Region,
		Since: rec.Timestamp, Until: rec.Timestamp + 1,
	})
	if err != nil {
		return false, err
	}
	key := rec.Key()
	for _, s := range got {
		if s.Key() == key {
			return true, nil
		}
	}
	return false, nil
}
