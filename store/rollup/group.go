package rollup

import (
	"context"
	"sync"
	"sync/atomic"
)

// Batch is one AddStats call's records waiting for a group commit.
type Batch struct {
	Rows []Record
	done chan batchResult
}

type batchResult struct {
	added int
	err   error
}

// Answer tells the batch's caller how its write ended. The writer calls it
// exactly once per batch.
func (b *Batch) Answer(added int, err error) { b.done <- batchResult{added, err} }

// Queue merges concurrent AddStats calls into group commits, so that one
// transaction (and one fsync) serves every caller that arrived while the
// previous one was committing. Both stores use it.
type Queue struct {
	mu      sync.Mutex
	pending []*Batch

	groups, records atomic.Uint64 // written so far, for metrics
}

// Counts returns how many groups the queue has handed to a writer and how
// many records they held in all; records ÷ groups is the mean group size.
func (q *Queue) Counts() (groups, records uint64) { return q.groups.Load(), q.records.Load() }

// Add queues rows and returns once a transaction holding them has ended. The
// caller that takes lock writes every batch queued so far with write, which
// must Answer each batch; an earlier caller may have written this one already.
// lock may admit more than one writer at a time (PostgreSQL overlaps two
// transactions); a caller whose batch another writer holds then writes the
// batches queued since, if any, and waits for its own.
// write runs without ctx's cancellation: a group written for others is never
// abandoned halfway because one caller went away.
func (q *Queue) Add(ctx context.Context, rows []Record, lock sync.Locker, write func(ctx context.Context, group []*Batch)) (int, error) {
	b := &Batch{Rows: rows, done: make(chan batchResult, 1)}
	q.mu.Lock()
	q.pending = append(q.pending, b)
	q.mu.Unlock()

	lock.Lock()
	select {
	case res := <-b.done: // an earlier caller wrote our batch
		lock.Unlock()
		return res.added, res.err
	default:
	}
	q.mu.Lock()
	group := q.pending
	q.pending = nil
	q.mu.Unlock()
	if len(group) > 0 { // empty when another writer holds our batch
		n := 0
		for _, g := range group {
			n += len(g.Rows)
		}
		q.groups.Add(1)
		q.records.Add(uint64(n))
		write(context.WithoutCancel(ctx), group)
	}
	lock.Unlock()
	res := <-b.done
	return res.added, res.err
}
