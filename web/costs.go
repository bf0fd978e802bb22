package web

import (
	"context"
	"net/http"
	"time"

	"github.com/podiumhq/podium"
)

// CostsBody is the answer of GET /api/v1/costs: what the paid tests of a
// window cost, in all, per region and per UTC day (each day cut to the
// window). Amounts are wei as decimal strings (see podium.CostSum); tests
// without a cost (unpaid, or posted by other senders) are not counted.
type CostsBody struct {
	Since   int64                     `json:"since"`
	Until   int64                     `json:"until"`
	Total   podium.CostSum            `json:"total"`
	Regions map[string]podium.CostSum `json:"regions"`
	Days    []CostDay                 `json:"days"`
}

// CostDay is the cost of one UTC day's paid tests.
type CostDay struct {
	Day     string                    `json:"day"`   // 2006-01-02
	Start   int64                     `json:"start"` // unix time of its 00:00 UTC
	Total   podium.CostSum            `json:"total"`
	Regions map[string]podium.CostSum `json:"regions"`
}

// NewCostsBody arranges daily totals (sorted by day, as the store returns
// them) for the window [since, until).
func NewCostsBody(since, until int64, daily []podium.CostTotal) CostsBody {
	body := CostsBody{Since: since, Until: until, Regions: map[string]podium.CostSum{}, Days: []CostDay{}}
	for _, t := range daily {
		if n := len(body.Days); n == 0 || body.Days[n-1].Start != t.Day {
			body.Days = append(body.Days, CostDay{Day: time.Unix(t.Day, 0).UTC().Format(time.DateOnly),
				Start: t.Day, Regions: map[string]podium.CostSum{}})
		}
		d := &body.Days[len(body.Days)-1]
		d.Regions[t.Region] = t.CostSum
		d.Total.AddSum(t.CostSum)
		r := body.Regions[t.Region]
		r.AddSum(t.CostSum)
		body.Regions[t.Region] = r
		body.Total.AddSum(t.CostSum)
	}
	return body
}

// handleCosts answers what testing cost in the window (default the last
// 24 h), optionally for one region or orchestrator.
func (s *Server) handleCosts(w http.ResponseWriter, r *http.Request) {
	setAPIHeaders(w)
	q, err := parseStatsQuery(r.URL.Query(), s.now())
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	totals, err := s.store.Costs(r.Context(), podium.CostQuery{StatsQuery: q, Daily: true})
	if err != nil {
		writeError(w, r, s.logger, unavailable(err))
		return
	}
	writeJSON(w, http.StatusOK, NewCostsBody(q.Since, q.Until, totals))
}

// Costs returns what the paid tests of q's window cost (GET /api/v1/costs);
// a zero Since or Until leaves the server's default (the last 24 h).
func (c *Client) Costs(ctx context.Context, q podium.StatsQuery) (CostsBody, error) {
	var out CostsBody
	return out, c.get(ctx, "/api/v1/costs", queryValues(q), &out)
}
