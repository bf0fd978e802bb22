package load

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/podiumhq/podium"
)

// Result is one measured figure of one system in a side-by-side run, with
// the machine's 1-minute load average when it was taken.
type Result struct {
	Figure, System string
	Value, Load    float64
}

// The figures of the side-by-side table; times are in seconds, ingest in
// records per second.
const (
	FigureAgg7d  = "agg7d"
	FigureAgg24h = "agg24h"
	FigureIngest = "ingest"
	FigureBulk   = "bulk"
)

// The systems of the table, in its column order.
var tableSystems = []string{"anchor", "sqlite", "postgres"}

// ParseResults reads results as lines "figure system value load" (blank
// lines and lines starting with # are skipped).
func ParseResults(r io.Reader) ([]Result, error) {
	var out []Result
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return nil, podium.FieldError(fmt.Sprintf("line %d", n), "must be \"figure system value load\", not %q", line)
		}
		v, err1 := strconv.ParseFloat(f[2], 64)
		l, err2 := strconv.ParseFloat(f[3], 64)
		if err1 != nil || err2 != nil || v <= 0 || math.IsInf(v, 0) {
			return nil, podium.FieldError(fmt.Sprintf("line %d", n), "value and load must be numbers (value > 0), not %q", line)
		}
		out = append(out, Result{Figure: f[0], System: f[1], Value: v, Load: l})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	return out, nil
}

// WriteTable writes the side-by-side table as Markdown: the median of each
// figure per system, podium's cells with their ratio to the anchor (how
// many times better podium is: the anchor's time over podium's, or
// podium's records per second over the anchor's), the range of the load
// average over the row's runs, then every run's value. records is the
// size of the bulk load, posts the number of posts of each ingest run.
func WriteTable(w io.Writer, results []Result, records, posts int) {
	cells := map[[2]string][]float64{}
	loads := map[string][2]float64{}
	for _, r := range results {
		k := [2]string{r.Figure, r.System}
		cells[k] = append(cells[k], r.Value)
		lo, ok := loads[r.Figure]
		if !ok {
			lo = [2]float64{r.Load, r.Load}
		}
		loads[r.Figure] = [2]float64{min(lo[0], r.Load), max(lo[1], r.Load)}
	}
	rows := []struct{ figure, title string }{
		{FigureAgg7d, "aggregated_stats p50, 7 days, all regions"},
		{FigureAgg24h, "aggregated_stats p50, 24 h"},
		{FigureIngest, fmt.Sprintf("signed ingest, 16 concurrent posters, one record per POST, rec/s (%s posts)", thousands(float64(posts)))},
		{FigureBulk, fmt.Sprintf("bulk load of %s records", thousands(float64(records)))},
	}
	fmt.Fprintln(w, "| figure | leaderboard-serverless | podium SQLite | podium PostgreSQL | load average |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, row := range rows {
		if _, ok := loads[row.figure]; !ok {
			continue
		}
		anchor, hasAnchor := median(cells[[2]string{row.figure, "anchor"}])
		fmt.Fprintf(w, "| %s |", row.title)
		for _, sys := range tableSystems {
			v, ok := median(cells[[2]string{row.figure, sys}])
			switch {
			case !ok:
				fmt.Fprint(w, " — |")
			case sys == "anchor" || !hasAnchor:
				fmt.Fprintf(w, " %s |", cell(row.figure, sys, v, records))
			default:
				ratio := anchor / v
				if row.figure == FigureIngest {
					ratio = v / anchor
				}
				fmt.Fprintf(w, " %s (%s×) |", cell(row.figure, sys, v, records), ratioText(ratio))
			}
		}
		fmt.Fprintf(w, " %.1f–%.1f |\n", loads[row.figure][0], loads[row.figure][1])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every run (value, load average):")
	fmt.Fprintln(w)
	for _, row := range rows {
		for _, sys := range tableSystems {
			var runs []string
			for _, r := range results {
				if r.Figure == row.figure && r.System == sys {
					runs = append(runs, fmt.Sprintf("%s (%.1f)", cell(r.Figure, "", r.Value, 0), r.Load))
				}
			}
			if len(runs) > 0 {
				fmt.Fprintf(w, "- %s, %s: %s\n", row.figure, sys, strings.Join(runs, ", "))
			}
		}
	}
}

// cell formats a value: a time in s or ms, a rate, or a bulk load's time
// with its method and rate when records is known.
func cell(figure, system string, v float64, records int) string {
	switch {
	case figure == FigureIngest:
		return thousands(v)
	case figure == FigureBulk && records > 0:
		how := "`podium import`"
		if system == "anchor" {
			how = "COPY"
		}
		return fmt.Sprintf("%.1f s (%s, %s rec/s)", v, how, thousands(float64(records)/v))
	case v >= 1:
		return fmt.Sprintf("%.2f s", v)
	default:
		return fmt.Sprintf("%.1f ms", v*1000)
	}
}

func ratioText(r float64) string {
	if r >= 10 {
		return thousands(r)
	}
	return fmt.Sprintf("%.2f", r)
}

// thousands rounds v and writes it with thousands separators: 1,823.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// median of vs (the mean of the middle two of an even count), and whether
// there is any.
func median(vs []float64) (float64, bool) {
	if len(vs) == 0 {
		return 0, false
	}
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 0 {
		return (s[m-1] + s[m]) / 2, true
	}
	return s[m], true
}
