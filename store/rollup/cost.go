package rollup

import (
	"fmt"

	"github.com/podiumhq/podium"
)

// CostSQL returns the query listing the region, timestamp and cost of q's
// paid tests, transcoding and AI alike, and its parameters (see
// podium.StatsStore.Costs). Costs are exact fractions, so they are added
// up in Go (AddCost), not in SQL.
func CostSQL(d Dialect, q podium.CostQuery) (string, []any) {
	since, until := Clamp(q.Since, q.Until)
	b := &builder{d: d}
	where := func(record, orchestrator, region string) string {
		w := fmt.Sprintf("%[1]scost_tickets IS NOT NULL AND %[1]sts >= %[2]s AND %[1]sts < %[3]s", record, b.arg(since), b.arg(until))
		if q.Orchestrator != "" {
			w += " AND " + orchestrator + " = " + b.arg(q.Orchestrator)
		}
		if q.Region != "" {
			w += " AND " + region + " = " + b.arg(q.Region)
		}
		return w
	}
	transcoding := "SELECT se.region, s.ts, " + CostColumns +
		" FROM stats s JOIN series se ON se.id = s.series WHERE " + where("s.", "se.orchestrator", "se.region")
	ai := "SELECT a.region, a.ts, a.cost_tickets, a.cost_face_value, a.cost_ev FROM ai_stats a WHERE " +
		where("a.", "a.orchestrator", "a.region")
	return transcoding + " UNION ALL " + ai, b.args
}

// AddCost reads one row of CostSQL into t.
func AddCost(scan Scanner, t *podium.CostTotals) error {
	var region string
	var ts int64
	var tickets *int64
	var face, ev *string
	if err := scan(&region, &ts, &tickets, &face, &ev); err != nil {
		return err
	}
	c, err := scanCost(tickets, face, ev)
	if err != nil {
		return err
	}
	if c == nil {
		return fmt.Errorf("cost query returned an unpaid test")
	}
	return t.Add(region, ts, *c)
}
