package rollup

import (
	"math/rand"
	"sort"
	"testing"
)

func TestPlanWindow(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	windows := [][2]int64{
		{0, 0}, {10, 5}, {0, 1}, {299, 301}, {300, 600}, {1, MaxTime + 100},
		{-500, 700}, {345600, 2 * 345600}, {1_700_000_123, 1_700_000_123 + 7*86400},
	}
	for i := 0; i < 2000; i++ {
		since := rng.Int63n(2_000_000_000)
		windows = append(windows, [2]int64{since, since + rng.Int63n(30*86400)})
	}
	for _, w := range windows {
		since, until := Clamp(w[0], w[1])
		p := PlanWindow(w[0], w[1])
		var parts [][2]int64
		for _, r := range p.Raw {
			if r.From >= r.To {
				t.Fatalf("window %v: empty raw range %v", w, r)
			}
			if r.To-r.From >= Widths[0] && len(p.Spans) > 0 {
				t.Fatalf("window %v: raw edge %v as wide as a bucket", w, r)
			}
			parts = append(parts, [2]int64{r.From, r.To})
		}
		for _, s := range p.Spans {
			if s.From%s.Width != 0 || s.To%s.Width != 0 || s.From >= s.To {
				t.Fatalf("window %v: misaligned span %+v", w, s)
			}
			parts = append(parts, [2]int64{s.From, s.To})
		}
		sort.Slice(parts, func(i, j int) bool { return parts[i][0] < parts[j][0] })
		at := since
		for _, r := range parts {
			if r[0] != at {
				t.Fatalf("window %v: parts %v leave a gap or overlap at %d", w, parts, at)
			}
			at = r[1]
		}
		if since < until && at != until {
			t.Fatalf("window %v: parts %v end at %d", w, parts, at)
		}
		if since >= until && len(parts) != 0 {
			t.Fatalf("empty window %v: parts %v", w, parts)
		}
	}
}

func TestPlanWindow_SevenDays(t *testing.T) {
	// A 7-day window must read few buckets per series: that is what makes
	// the leaderboard query fast.
	for since := int64(1_700_000_000); since < 1_700_000_000+86400; since += 977 {
		p := PlanWindow(since, since+7*86400)
		n := 0
		for _, s := range p.Spans {
			n += int((s.To - s.From) / s.Width)
		}
		if n > 24 {
			t.Fatalf("since %d: %d buckets per series: %+v", since, n, p.Spans)
		}
	}
}

func TestFloor(t *testing.T) {
	for _, tc := range []struct{ t, w, want int64 }{
		{0, 300, 0}, {299, 300, 0}, {300, 300, 300}, {-1, 300, -300}, {-300, 300, -300},
	} {
		if got := Floor(tc.t, tc.w); got != tc.want {
			t.Errorf("Floor(%d, %d) = %d, want %d", tc.t, tc.w, got, tc.want)
		}
	}
}
