package load

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Latency GETs url n times one after the other (keep-alive, each answer
// read to the end) and returns the times sorted, shortest first. Any
// answer but a 200 is an error.
func Latency(ctx context.Context, c *http.Client, url string, n int) ([]time.Duration, error) {
	if n <= 0 {
		return nil, fmt.Errorf("latency of %s: n must be positive, not %d", url, n)
	}
	ds := make([]time.Duration, 0, n)
	for range n {
		t0 := time.Now()
		if err := get(ctx, c, url); err != nil {
			return nil, fmt.Errorf("latency: %w", err)
		}
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds, nil
}

// Median is the p50 of sorted ds (nearest rank).
func Median(ds []time.Duration) time.Duration { return quantile(ds, 0.5) }
