package main

import (
	"context"
	"sync"

	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/probe"
)

// lazyPool starts the segment pool on the first segment asked for, so a
// prober run with nothing to test (a drain of the spool, an empty registry)
// spends no CPU on ffmpeg.
type lazyPool struct {
	cfg  media.PoolConfig
	once sync.Once
	pool *media.Pool
}

// Next implements probe.SegmentSource.
func (l *lazyPool) Next(ctx context.Context) (probe.Segment, error) {
	l.once.Do(func() { l.pool = media.NewPool(l.cfg) })
	return probe.MediaSource{Pool: l.pool}.Next(ctx)
}

// Close stops the pool if it was started.
func (l *lazyPool) Close() {
	l.once.Do(func() {}) // no pool may start after Close
	if l.pool != nil {
		l.pool.Close()
	}
}
