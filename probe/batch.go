package probe

import (
	"context"
	"sync"
	"time"

	"github.com/podiumhq/podium/media"
)

// Defaults of BatchVerifier.
const (
	// DefaultBatchWindow: a test runs for the length of its segments (15 ×
	// 2 s by default) and its timings are taken before verification, so
	// waiting up to a second for other segments costs a test at most a
	// second at its end, and no score.
	DefaultBatchWindow = time.Second
	// DefaultBatchMax bounds a batch at 4 segments: in BenchmarkVerifyCycle
	// (docs/benchmarks.md) 4 saved most of the CPU that 8 did on the
	// prober's 360p+240p ladder and more than 8 on the stock ladder with
	// 720p, and a batch of 4 ends sooner.
	DefaultBatchMax = 4
)

// BatchVerifier is the media Verifier of a prober running several tests at
// once: the renditions of segments that come back close together, of one
// test or of tests of different orchestrators, are judged in one ffmpeg
// process (media.Verifier.VerifyGroups), which saves starting ffmpeg
// (about 115 ms of CPU) for every segment but the first of a batch.
//
// A batch starts when Max segments wait or Window after its first one
// arrived, whichever comes first. Each segment's verdicts depend only on
// its own renditions and source: VerifyGroups keeps groups apart, and when
// a rendition makes the shared process fail it verifies every segment
// again on its own. A caller whose ctx ends gets ctx's error at once; the
// batch runs on for the others and stops only when all its callers left.
// Use it by pointer; the zero value (with Verifier set) is ready.
type BatchVerifier struct {
	Verifier *media.Verifier
	Window   time.Duration // 0 means DefaultBatchWindow
	Max      int           // 0 means DefaultBatchMax

	mu      sync.Mutex
	pending *batch
}

// batch is one ffmpeg run's worth of segments.
type batch struct {
	groups [][]media.Check
	timer  *time.Timer
	ctx    context.Context
	cancel context.CancelFunc
	// callers counts the callers still waiting; the last to leave cancels.
	callers int
	stops   []func() bool

	done chan struct{}
	vds  [][]media.Verdict
	err  error
}

// Verify judges the renditions of seg together with the segments of other
// callers that arrive within the window.
func (b *BatchVerifier) Verify(ctx context.Context, seg Segment, rs []Rendition) ([]Verdict, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	checks, err := mediaChecks(seg, rs)
	if err != nil {
		return nil, err
	}
	bt, k := b.join(ctx, checks)
	select {
	case <-bt.done:
		if bt.err != nil {
			return nil, bt.err
		}
		return verdicts(bt.vds[k]), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// join adds checks to the pending batch (starting one if none waits) and
// returns the batch and their index in it.
func (b *BatchVerifier) join(ctx context.Context, checks []media.Check) (*batch, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	bt := b.pending
	if bt != nil && bt.ctx.Err() != nil {
		// Every caller of the waiting batch left: it runs for no one (and
		// stops at once); this caller starts a new one.
		b.start(bt)
		bt = nil
	}
	if bt == nil {
		bt = &batch{done: make(chan struct{})}
		// The run outlives any one caller: its context is cancelled only
		// when every caller has left.
		bt.ctx, bt.cancel = context.WithCancel(context.WithoutCancel(ctx))
		b.pending = bt
		bt.timer = time.AfterFunc(b.window(), func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.start(bt)
		})
	}
	k := len(bt.groups)
	bt.groups = append(bt.groups, checks)
	bt.callers++
	bt.stops = append(bt.stops, context.AfterFunc(ctx, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if bt.callers--; bt.callers == 0 {
			bt.cancel()
		}
	}))
	if len(bt.groups) >= b.max() {
		b.start(bt)
	}
	return bt, k
}

// start runs bt unless it already runs; b.mu must be held.
func (b *BatchVerifier) start(bt *batch) {
	if b.pending != bt {
		return
	}
	b.pending = nil
	bt.timer.Stop()
	go func() {
		bt.vds, bt.err = b.Verifier.VerifyGroups(bt.ctx, bt.groups)
		close(bt.done)
		bt.cancel()
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, stop := range bt.stops {
			stop()
		}
	}()
}

func (b *BatchVerifier) window() time.Duration {
	if b.Window > 0 {
		return b.Window
	}
	return DefaultBatchWindow
}

func (b *BatchVerifier) max() int {
	if b.Max > 0 {
		return b.Max
	}
	return DefaultBatchMax
}
