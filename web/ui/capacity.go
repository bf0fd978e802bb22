package ui

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/podiumhq/podium"
)

// capacityWindow is how far back the orchestrator page shows capacity
// tests, whatever the page's window: they run about once a day.
const capacityWindow = 30 * 24 * time.Hour

// regionCapacity is an orchestrator's latest capacity test in one region;
// Latest is nil when it has had none.
type regionCapacity struct {
	podium.Region
	Latest *podium.Capacity
	Class  string // the region's colour in the chart
}

// regionClass is the CSS class of the colour of region i: four colours,
// then again.
func regionClass(i int) string { return fmt.Sprintf("r%d", i%4) }

// Text says what the latest test found (capacityText).
func (r regionCapacity) Text() string { return capacityText(r.Latest) }

// capacityView is the capacity section of an orchestrator's page; nil
// when the store keeps no capacity records.
type capacityView struct {
	Regions []regionCapacity
	Since   time.Time
	Chart   template.HTML
	Tested  bool // any region has a test
}

// capacityOf reads addr's capacity tests of the 30 days before until, and
// the latest in each region however old.
func (h *Handler) capacityOf(ctx context.Context, addr string, until time.Time) (*capacityView, error) {
	cs, ok := h.cfg.Store.(podium.CapacityStore)
	if !ok {
		return nil, nil
	}
	cv := &capacityView{Since: until.Add(-capacityWindow)}
	history, err := cs.Capacities(ctx, podium.CapacityQuery{Orchestrator: addr, Since: cv.Since.Unix(), Until: until.Unix() + 1})
	if err != nil {
		return nil, err
	}
	for i, reg := range h.cfg.Regions {
		rc := regionCapacity{Region: reg, Class: regionClass(i)}
		for i := range history {
			if history[i].Region == reg.ID {
				rc.Latest = &history[i]
				break
			}
		}
		if rc.Latest == nil {
			older, err := cs.Capacities(ctx, podium.CapacityQuery{Orchestrator: addr, Region: reg.ID, Until: until.Unix() + 1, Limit: 1})
			if err != nil {
				return nil, err
			}
			if len(older) > 0 {
				rc.Latest = &older[0]
			}
		}
		cv.Tested = cv.Tested || rc.Latest != nil
		cv.Regions = append(cv.Regions, rc)
	}
	cv.Chart = capacityChart("Capacity tests, streams sustained", history, h.cfg.Regions, cv.Since, until)
	return cv, nil
}

// capacityText says what a capacity test found, in words: a test that
// sustained no stream says why (capped, behind, failed), never "0".
func capacityText(c *podium.Capacity) string {
	if c == nil {
		return "no capacity test yet"
	}
	n := plural(c.Streams, "stream")
	switch {
	case c.StoppedBy == podium.CapacityStoppedCeiling:
		return n + " or more (the test's ceiling)"
	case c.Streams == 0 && c.StoppedBy == podium.CapacityStoppedCapped:
		return "capped: refused the first stream"
	case c.Streams == 0 && c.StoppedBy == podium.CapacityStoppedBehind:
		return "behind real time with one stream"
	case c.Streams == 0 && c.StoppedBy == podium.CapacityStoppedFailed:
		return "failed with one stream"
	case c.Streams == 0:
		return "not measured (time budget spent)"
	case c.StoppedBy == podium.CapacityStoppedCapped:
		return n + ", then capped"
	case c.StoppedBy == podium.CapacityStoppedBehind:
		return n + ", then behind real time"
	case c.StoppedBy == podium.CapacityStoppedFailed:
		return n + ", then failed"
	}
	return n + " (time budget spent)"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// capacityChart draws each capacity test of the window as a mark at its
// time and the streams it sustained, one row of colour per region; a test
// that sustained none is a hollow mark on the axis, labelled with why,
// not a 0.
func capacityChart(title string, tests []podium.Capacity, regions []podium.Region, since, until time.Time) template.HTML {
	var b strings.Builder
	top := 1
	for _, c := range tests {
		top = max(top, c.Streams, c.Ceiling)
	}
	span := until.Sub(since).Seconds()
	x := func(ts int64) float64 { return padL + (chartW-padL-padR)*time.Unix(ts, 0).Sub(since).Seconds()/span }
	y := func(v int) float64 { return padT + (chartH-padT-padB)*(1-float64(v)/float64(top)) }
	fmt.Fprintf(&b, `<svg class="chart capacity" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, chartW, chartH, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(title))
	step := max(1, top/4)
	for v := 0; v <= top; v += step {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, padL, chartW-padR, y(v), y(v))
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%.1f" text-anchor="end">%d</text>`, padL-6, y(v)+4, v)
	}
	for _, t := range ticks(since, until) {
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x(t.Unix()), chartH-6, tickLabel(t, until.Sub(since)))
	}
	index := map[string]int{}
	for i, r := range regions {
		index[r.ID] = i
	}
	for _, c := range tests {
		label := fmt.Sprintf("%s · %s · %s", formatTime(time.Unix(c.Timestamp, 0)), c.Region, capacityText(&c))
		if c.Advertised > 0 {
			label += fmt.Sprintf(" · advertises %d", c.Advertised)
		}
		cls := "cap " + regionClass(index[c.Region])
		if c.Streams == 0 {
			fmt.Fprintf(&b, `<g class="%s none" data-stopped-by="%s"><circle cx="%.1f" cy="%.1f" r="4"/><text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text><title>%s</title></g>`,
				cls, c.StoppedBy, x(c.Timestamp), y(0), x(c.Timestamp), y(0)-8, template.HTMLEscapeString(c.StoppedBy), template.HTMLEscapeString(label))
			continue
		}
		fmt.Fprintf(&b, `<g class="%s" data-streams="%d" data-stopped-by="%s"><line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/><circle cx="%.1f" cy="%.1f" r="4"/><title>%s</title></g>`,
			cls, c.Streams, c.StoppedBy, x(c.Timestamp), x(c.Timestamp), y(0), y(c.Streams), x(c.Timestamp), y(c.Streams), template.HTMLEscapeString(label))
	}
	if len(tests) == 0 {
		fmt.Fprintf(&b, `<text class="nodata" x="%d" y="%d" text-anchor="middle">no capacity test in the last 30 days</text>`, (chartW+padL)/2, chartH/2)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
