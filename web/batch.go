package web

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/podiumhq/podium"
)

// batcher group-commits posts: one goroutine writes, and every record that
// arrives while a commit is in flight goes into the next one. Each caller
// is answered only after the transaction holding its record has committed,
// so an acknowledged post is durable, and the store sees a few large
// transactions instead of one per post.
type batcher struct {
	store    podium.StatsStore
	logger   *slog.Logger
	maxBatch int
	onCommit func(size int)

	mu     sync.RWMutex // guards closed against sends on reqs
	closed bool
	reqs   chan *addRequest
	done   chan struct{}
}

type addRequest struct {
	rec   podium.Stats
	reply chan addResult
}

type addResult struct {
	duplicate bool
	err       error
}

var errShuttingDown = &podium.Error{Code: podium.EUNAVAILABLE, Message: "the server is shutting down", Hint: "retry the post"}

func newBatcher(store podium.StatsStore, logger *slog.Logger, maxBatch int, onCommit func(int)) *batcher {
	b := &batcher{
		store:    store,
		logger:   logger,
		maxBatch: maxBatch,
		onCommit: onCommit,
		reqs:     make(chan *addRequest, maxBatch),
		done:     make(chan struct{}),
	}
	go b.run()
	return b
}

// add stores rec and reports whether its test ID was already stored. It
// returns once the record is committed, or with ctx's error (the record may
// still be committed then: test_id makes a retry safe).
func (b *batcher) add(ctx context.Context, rec podium.Stats) (duplicate bool, err error) {
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
	<-b.done
}

func (b *batcher) run() {
	defer close(b.done)
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
// A record is a duplicate when an earlier record of the batch has its Key
// (test ID, or content hash without one), or when the store already holds
// it; the latter is looked up before the write so that each caller is told
// which of the two happened to its post.
func (b *batcher) commit(batch []*addRequest) {
	ctx := context.Background() // a commit, once started, finishes for everyone in it
	results := make([]addResult, len(batch))
	recs := make([]podium.Stats, 0, len(batch))
	seen := make(map[string]bool, len(batch))
	var err error
	for i, req := range batch {
		key := req.rec.Key()
		if seen[key] {
			results[i].duplicate = true
			continue
		}
		seen[key] = true
		var stored bool
		if stored, err = isStored(ctx, b.store, req.rec, key); err != nil {
			break
		}
		if stored {
			results[i].duplicate = true
			continue
		}
		recs = append(recs, req.rec)
	}
	if err == nil && len(recs) > 0 {
		var added int
		added, err = b.store.AddStats(ctx, recs)
		if err == nil && added != len(recs) {
			// Another writer (a replica) stored some of these records
			// between the lookup and the write: they are stored once, as
			// promised, and reported as stored rather than duplicate.
			b.logger.Warn("concurrent duplicate records", "batch", len(recs), "added", added)
		}
	}
	if err != nil {
		b.logger.Error("commit stats", "records", len(recs), "err", err)
		if !errors.As(err, new(*podium.Error)) {
			err = &podium.Error{Code: podium.EUNAVAILABLE, Message: "the store did not take the record", Hint: "retry the post", Err: err}
		}
	}
	for i, req := range batch {
		if err != nil {
			results[i] = addResult{err: err}
		}
		req.reply <- results[i]
	}
	if b.onCommit != nil && err == nil {
		b.onCommit(len(recs))
	}
}

// isStored reports whether the store holds a record with rec's key. The
// window query of the StatsStore interface is enough: a key names one test
// of one orchestrator in one region, which has one timestamp.
func isStored(ctx context.Context, store podium.StatsStore, rec podium.Stats, key string) (bool, error) {
	got, err := store.RawStats(ctx, podium.StatsQuery{
		Orchestrator: rec.Orchestrator, Region: rec.Region,
		Since: rec.Timestamp, Until: rec.Timestamp + 1,
	})
	if err != nil {
		return false, err
	}
	for _, s := range got {
		if s.Key() == key {
			return true, nil
		}
	}
	return false, nil
}
