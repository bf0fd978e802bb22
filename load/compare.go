package load

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"

	"github.com/podiumhq/podium"
)

// Window is one aggregated_stats query: a name for reports and its path.
type Window struct{ Name, Path string }

// Windows7d24h are the two board reads of the side-by-side table: the last
// 7 days and the last 24 hours of data ending at end, all regions. Their
// bounds are half-seconds so that no test lies on an edge: podium windows
// [since, until), leaderboard-serverless [since, until].
func Windows7d24h(end int64) []Window {
	return []Window{
		{"7 days, all regions", window(end, 7*86400, "")},
		{"24 h", window(end, 86400, "")},
	}
}

// CompareWindows are the queries whose answers both systems must agree on:
// the board's two reads, a shorter window, one region, one orchestrator,
// and one orchestrator in one region.
func CompareWindows(end int64) []Window {
	o := HistoryRecord(0).Orchestrator
	return append(Windows7d24h(end),
		Window{"1 h", window(end, 3600, "")},
		Window{"7 days, FRA", window(end, 7*86400, "&region=FRA")},
		Window{"7 days, one orchestrator", window(end, 7*86400, "&orchestrator="+o)},
		Window{"24 h, one orchestrator in SIN", window(end, 86400, "&orchestrator="+o+"&region=SIN")},
	)
}

func window(end, span int64, filter string) string {
	return fmt.Sprintf("/api/aggregated_stats?since=%d.5&until=%d.5%s", end-span, end, filter)
}

// Agreement is what Compare found: how many scores it compared and the
// largest difference between two of them.
type Agreement struct {
	Scores  int
	MaxDiff float64
}

// Compare reads each window from the servers at a and b and checks that
// both answer the same orchestrators and regions with every score within
// tol of the other's. Any difference is an error listing the first few.
func Compare(ctx context.Context, c *http.Client, a, b string, ws []Window, tol float64) (Agreement, error) {
	var ag Agreement
	var diffs []string
	for _, w := range ws {
		x, err := board(ctx, c, a+w.Path)
		if err != nil {
			return ag, err
		}
		y, err := board(ctx, c, b+w.Path)
		if err != nil {
			return ag, err
		}
		if len(x) == 0 {
			diffs = append(diffs, fmt.Sprintf("%s: %s answers no orchestrator", w.Name, a))
		}
		for _, d := range diffBoards(x, y, tol) {
			diffs = append(diffs, w.Name+": "+d)
		}
		for o, rs := range x {
			for r, s := range rs {
				ag.Scores += 3
				if t, ok := y[o][r]; ok {
					ag.MaxDiff = max(ag.MaxDiff, math.Abs(s.SuccessRate-t.SuccessRate),
						math.Abs(s.RoundTripScore-t.RoundTripScore), math.Abs(s.Total-t.Total))
				}
			}
		}
	}
	if len(diffs) > 0 {
		return ag, fmt.Errorf("%d differences between %s and %s, first: %v", len(diffs), a, b, diffs[:min(5, len(diffs))])
	}
	return ag, nil
}

// diffBoards lists where x and y differ: a key on one side only, or a score
// more than tol apart; sorted, so reports are stable.
func diffBoards(x, y map[string]map[string]podium.Score, tol float64) []string {
	var out []string
	for o, rs := range x {
		for r, s := range rs {
			t, ok := y[o][r]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s %s only on the first", o, r))
			case !near(s.SuccessRate, t.SuccessRate, tol) || !near(s.RoundTripScore, t.RoundTripScore, tol) || !near(s.Total, t.Total, tol):
				out = append(out, fmt.Sprintf("%s %s: %+v vs %+v", o, r, s, t))
			}
		}
	}
	for o, rs := range y {
		for r := range rs {
			if _, ok := x[o][r]; !ok {
				out = append(out, fmt.Sprintf("%s %s only on the second", o, r))
			}
		}
	}
	sort.Strings(out)
	return out
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// board GETs an aggregated_stats answer.
func board(ctx context.Context, c *http.Client, url string) (map[string]map[string]podium.Score, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading the body: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %.200s", url, resp.Status, data)
	}
	var out map[string]map[string]podium.Score
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("GET %s: decoding the answer: %w", url, err)
	}
	return out, nil
}
