package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

// TestHandler_RoundCosts: a round's page shows what testing cost in it,
// per region, from the costs the probers posted.
func TestHandler_RoundCosts(t *testing.T) {
	st := newStore(t)
	running := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) // in round 2
	paid := func(id, region string, ts time.Time, tickets int, face, ev string) podium.Stats {
		return podium.Stats{Region: region, Orchestrator: addr(1), Timestamp: ts.Unix(), SegmentsSent: 15,
			Errors: []podium.StatsError{}, TestID: id,
			Cost: &podium.StatsCost{Tickets: tickets, FaceValue: face, ExpectedValue: ev}}
	}
	recs := []podium.Stats{
		paid("cost-1", "FRA", running, 3, "800000000000000", "12000000000000"),
		paid("cost-2", "FRA", running.Add(time.Hour), 1, "800000000000000", "4000000000000/3"),
		paid("cost-3", "SIN", running, 2, "1000000000000000", "3000000000000"),
	}
	if _, err := st.AddStats(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, uiConfig(t, st))

	_, body := get(t, h, "/rounds/2")
	i := strings.Index(body, `<section id="costs">`)
	if i < 0 {
		t.Fatal("round 2's page has no cost section")
	}
	section := body[i : i+strings.Index(body[i:], "</section>")]
	for _, want := range []string{
		// FRA: 13.333… µETH rounds to 13 333 333 333 333 wei.
		`<tr data-region="FRA"><td>FRA</td><td class="num">2</td><td class="num">4</td><td class="num ev" title="40000000000000/3 wei">0.000013333333333333</td>`,
		`<tr data-region="SIN"><td>SIN</td><td class="num">1</td><td class="num">2</td><td class="num ev" title="3000000000000 wei">0.000003</td>`,
		`id="cost-total" title="49000000000000/3 wei">0.000016333333333333</td>`,
		`<td class="num hide-s">0.0052</td>`, // 3 × 0.0008 + 0.0008 + 2 × 0.001
	} {
		if !strings.Contains(section, want) {
			t.Errorf("the cost section does not say %s:\n%s", want, section)
		}
	}
	if _, body := get(t, h, "/rounds/3"); !strings.Contains(body, "No paid test in this round yet.") {
		t.Error("an upcoming round's page does not say it has no paid test yet")
	}
}
