package demo

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// progress prints a status line now and then while the round runs: the
// round clock, the tests stored per region and the current leaders.
type progress struct {
	out        io.Writer
	db         podium.StatsStore
	probers    *probers
	nodes      *nodes
	start, end time.Time
	now        func() time.Time
}

func (p *progress) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.line()
		}
	}
}

// records returns the tests stored so far.
func (p *progress) records() int {
	n := 0
	for _, c := range p.probers.counts() {
		n += c
	}
	return n
}

// line prints one status line.
func (p *progress) line() {
	el := min(p.now().Sub(p.start), p.end.Sub(p.start)).Round(time.Second)
	c, f := p.probers.counts(), p.probers.finished()
	fmt.Fprintf(p.out, "[%s/%s] tests posted/done MDW %d/%d FRA %d/%d SIN %d/%d · top %s\n", clock(el), clock(p.end.Sub(p.start)),
		c["MDW"], f["MDW"], c["FRA"], f["FRA"], c["SIN"], f["SIN"], p.top(3))
}

// top names the n orchestrators with the best regional score so far.
func (p *progress) top(n int) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	aggs, err := p.db.Aggregates(ctx, podium.StatsQuery{Since: p.start.Unix(), Until: p.now().Unix() + 1})
	if err != nil {
		return "?"
	}
	best := map[string]float64{}
	for _, a := range aggs {
		best[a.Orchestrator] = max(best[a.Orchestrator], score.Of(a).Total*10)
	}
	addrs := make([]string, 0, len(best))
	for a := range best {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool {
		if best[addrs[i]] != best[addrs[j]] {
			return best[addrs[i]] > best[addrs[j]]
		}
		return addrs[i] < addrs[j]
	})
	if len(addrs) == 0 {
		return "(no results yet)"
	}
	var parts []string
	for _, a := range addrs[:min(n, len(addrs))] {
		name := a[:8]
		if node := p.nodes.byAddress(a); node != nil {
			name = node.Character.Name
		}
		parts = append(parts, fmt.Sprintf("%s %.1f", name, best[a]))
	}
	return strings.Join(parts, ", ")
}

// clock formats d as m:ss.
func clock(d time.Duration) string {
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}
