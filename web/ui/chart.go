package ui

import (
	"fmt"
	"html/template"
	"strings"
	"time"
)

// point is one bucket of a score history; OK is false when the bucket had
// no test, which the chart draws as a gap.
type point struct {
	At      time.Time // the bucket's start
	OK      bool
	Total   float64 // 0–1
	Success float64
	Latency float64
}

// series is one line of a chart.
type series struct {
	Name  string
	Class string // CSS class giving its colour
	Value func(point) float64
}

var chartSeries = []series{
	{"success", "s-success", func(p point) float64 { return p.Success }},
	{"latency", "s-latency", func(p point) float64 { return p.Latency }},
	{"total", "s-total", func(p point) float64 { return p.Total }},
}

// Chart geometry, in SVG user units; the SVG scales to its container.
const (
	chartW, chartH = 720, 170
	padL, padR     = 34, 10
	padT, padB     = 10, 24
)

// bucketFor picks the width of a chart's buckets so a window has at most
// about 60 points: hourly for a day, 3-hourly for a week.
func bucketFor(window time.Duration) time.Duration {
	if window <= 2*time.Hour { // a short custom window: a few points inside it
		return max(window/6, time.Minute)
	}
	for _, b := range []time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour} {
		if window/b <= 60 {
			return b
		}
	}
	return window / 60
}

// scoreChart draws points (one per bucket of width step, from since to
// until) as an SVG line chart of the three scores on 0–10, with gaps where
// there was no data.
func scoreChart(title string, points []point, since, until time.Time, step time.Duration) template.HTML {
	var b strings.Builder
	span := until.Sub(since).Seconds()
	x := func(t time.Time) float64 {
		return padL + (chartW-padL-padR)*t.Sub(since).Seconds()/span
	}
	y := func(v float64) float64 { return padT + (chartH-padT-padB)*(1-v) }
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, chartW, chartH, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(title))
	for _, g := range []float64{0, 2, 4, 6, 8, 10} {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, padL, chartW-padR, y(g/10), y(g/10))
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%.1f" text-anchor="end">%g</text>`, padL-6, y(g/10)+4, g)
	}
	for _, t := range ticks(since, until) {
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x(t), chartH-6, tickLabel(t, until.Sub(since)))
		fmt.Fprintf(&b, `<line class="tick" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, x(t), x(t), chartH-padB, chartH-padB+4)
	}
	for _, s := range chartSeries {
		var run []point
		flush := func() {
			switch len(run) {
			case 0:
			case 1: // a lone point has no line: draw a dot
				fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="2.5"/>`, s.Class, x(run[0].At.Add(step/2)), y(s.Value(run[0])))
			default:
				xy := make([]string, len(run))
				for i, p := range run {
					xy[i] = fmt.Sprintf("%.1f,%.1f", x(p.At.Add(step/2)), y(s.Value(p)))
				}
				fmt.Fprintf(&b, `<polyline class="%s" points="%s"/>`, s.Class, strings.Join(xy, " "))
			}
			run = run[:0]
		}
		for _, p := range points {
			if !p.OK {
				flush()
				continue
			}
			run = append(run, p)
		}
		flush()
	}
	// Hover targets: one per bucket with data, carrying its numbers.
	for _, p := range points {
		if p.OK {
			fmt.Fprintf(&b, `<circle class="hit" cx="%.1f" cy="%.1f" r="4"><title>%s · total %s · success %s · latency %s</title></circle>`,
				x(p.At.Add(step/2)), y(p.Total), formatTime(p.At), formatScore(p.Total), formatScore(p.Success), formatScore(p.Latency))
		}
	}
	if !anyOK(points) {
		fmt.Fprintf(&b, `<text class="nodata" x="%d" y="%d" text-anchor="middle">no data in this window</text>`, (chartW+padL)/2, chartH/2)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func anyOK(points []point) bool {
	for _, p := range points {
		if p.OK {
			return true
		}
	}
	return false
}

// ticks returns up to about six round times between since and until.
func ticks(since, until time.Time) []time.Time {
	span := until.Sub(since)
	var step time.Duration
	for _, s := range []time.Duration{time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour} {
		step = s
		if span/s <= 6 {
			break
		}
	}
	var ts []time.Time
	for t := since.UTC().Truncate(step).Add(step); t.Before(until); t = t.Add(step) {
		ts = append(ts, t)
	}
	return ts
}

func tickLabel(t time.Time, span time.Duration) string {
	t = t.UTC()
	switch {
	case span <= 48*time.Hour:
		return t.Format("15:04")
	case t.Hour() == 0:
		return t.Format("Jan 2")
	default:
		return t.Format("Jan 2 15h")
	}
}
