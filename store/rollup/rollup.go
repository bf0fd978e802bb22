// Package rollup plans how a store answers a window query from pre-summed
// buckets. Both stores keep, for every orchestrator × region series, the sums
// of podium.Aggregate over aligned time buckets of several widths. A window
// [since, until) is split into whole buckets, as few as possible, plus two
// edges narrower than the smallest bucket that are read from raw records.
// Because the sums are integers, the answer is the raw-scan answer exactly.
package rollup

import (
	"math"
	"sort"

	"github.com/podiumhq/podium"
)

// Widths are the bucket widths in seconds, smallest first. Each divides the
// next, so a bucket of one width is a union of buckets of the one below, and
// every bucket starts at a multiple of its width (unix time).
//
// The widths are chosen for 7-day leaderboard windows: any window reads at
// most 2 partial raw edges, up to 2 runs of each width below the largest and
// one run of the largest; for one test per series every 5 minutes that is
// about 17 rows per series instead of 2,016.
var Widths = []int64{300, 1800, 7200, 21600, 86400, 345600}

// MaxTime bounds the times the planner works with, so that rounding a bucket
// up never overflows. Records must have 0 < Timestamp < MaxTime.
const MaxTime = math.MaxInt64 / 4

// Span selects the buckets of one width whose start is in [From, To). From
// and To are multiples of Width, so the buckets lie wholly inside the span.
type Span struct {
	Width, From, To int64
}

// Range is a time range [From, To) read from raw records.
type Range struct {
	From, To int64
}

// Plan is the decomposition of a window into raw edges and bucket spans.
// The parts are disjoint and their union is the window.
type Plan struct {
	Raw   []Range
	Spans []Span
}

// Floor returns the start of the bucket of width w holding t.
func Floor(t, w int64) int64 {
	b := t / w * w
	if b > t {
		b -= w
	}
	return b
}

// ceil returns the first multiple of w at or after t.
func ceil(t, w int64) int64 {
	b := Floor(t, w)
	if b < t {
		b += w
	}
	return b
}

// Clamp limits a window to the times records can have: (0, MaxTime).
func Clamp(since, until int64) (int64, int64) {
	return max(since, 0), min(until, MaxTime)
}

// PlanWindow splits [since, until) into raw edges and whole bucket spans,
// reading as few buckets as the widths allow. An empty window gives an
// empty plan.
func PlanWindow(since, until int64) Plan { return planWidths(since, until, Widths) }

// planWidths is PlanWindow over the given widths, narrowest first.
func planWidths(since, until int64, widths []int64) Plan {
	since, until = Clamp(since, until)
	var p Plan
	if since >= until {
		return p
	}
	a, b := ceil(since, widths[0]), Floor(until, widths[0])
	if a >= b {
		p.Raw = append(p.Raw, Range{since, until})
		return p
	}
	if since < a {
		p.Raw = append(p.Raw, Range{since, a})
	}
	if b < until {
		p.Raw = append(p.Raw, Range{b, until})
	}
	for i, w := range widths {
		if i == len(widths)-1 {
			p.Spans = append(p.Spans, Span{w, a, b})
			break
		}
		next := widths[i+1]
		na, nb := ceil(a, next), Floor(b, next)
		if na >= nb {
			p.Spans = append(p.Spans, Span{w, a, b})
			break
		}
		if a < na {
			p.Spans = append(p.Spans, Span{w, a, na})
		}
		if nb < b {
			p.Spans = append(p.Spans, Span{w, nb, b})
		}
		a, b = na, nb
	}
	return p
}

// Cell is one bucket of one series: the unit a store's rollup table keeps.
type Cell struct {
	Width  int64
	Bucket int64
	Series int64
}

// Deltas accumulates, for records being folded, what must be added to each
// rollup cell. Stores fill it inside the fold's transaction and then write
// its cells in Sorted order (a fixed order avoids deadlocks
// between concurrent writers).
type Deltas map[Cell]podium.Aggregate

// Sorted returns the cells ordered by width, bucket and series.
func (d Deltas) Sorted() []Cell {
	cells := make([]Cell, 0, len(d))
	for c := range d {
		cells = append(cells, c)
	}
	sort.Slice(cells, func(i, j int) bool {
		a, b := cells[i], cells[j]
		if a.Width != b.Width {
			return a.Width < b.Width
		}
		if a.Bucket != b.Bucket {
			return a.Bucket < b.Bucket
		}
		return a.Series < b.Series
	})
	return cells
}
