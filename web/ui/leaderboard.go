package ui

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

// Standing is one orchestrator's score in a region or globally. HasData is
// false when no test fell in the window: that is "no data", not a 0.
type Standing struct {
	podium.Orchestrator
	HasData bool
	Score   podium.Score
	Tests   int64
	Regions int // regions with data (the Global view averages over them)
	Rank    int // by total, then latency, then address; 0 without data
}

// leaderboardView is the content of the leaderboard page.
type leaderboardView struct {
	view
	Rows     []Standing
	Known    int // orchestrators before the search
	WithData int
	// Pipelines are the AI pipelines and models tested in the window, for
	// the AI board's selector; nil on the transcoding board.
	Pipelines []podium.Pipeline
	// Capacity holds each tested orchestrator's latest capacity test per
	// region; nil when the store keeps no capacity records.
	Capacity map[string][]capacityCell
}

// HasCapacity reports whether the board has a capacity column.
func (lv leaderboardView) HasCapacity() bool { return lv.Capacity != nil }

// CapacityOf returns addr's capacity cells: "no test yet" in every region
// of the view when it has had none.
func (lv leaderboardView) CapacityOf(addr string) []capacityCell {
	if c, ok := lv.Capacity[addr]; ok {
		return c
	}
	var out []capacityCell
	for _, reg := range lv.regions {
		if lv.Region == "" || reg.ID == lv.Region {
			out = append(out, capacityCell{Region: reg.ID})
		}
	}
	return out
}

func (h *Handler) leaderboard(w http.ResponseWriter, r *http.Request) {
	v, err := parseView(r.URL.Query(), h.cfg.Now(), h.cfg.Regions)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var pipelines []podium.Pipeline
	var rows []Standing
	if v.AI {
		if pipelines, err = h.pipelines(r.Context(), &v); err == nil {
			rows, err = h.aiStandings(r.Context(), v)
		}
	} else {
		rows, err = h.standings(r.Context(), v)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lv := leaderboardView{view: v, Known: len(rows), Pipelines: pipelines}
	if !v.AI {
		if lv.Capacity, err = h.capacityCells(r.Context(), v); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	for _, s := range rows {
		if s.HasData {
			lv.WithData++
		}
		if matches(s.Orchestrator, v.Q) {
			lv.Rows = append(lv.Rows, s)
		}
	}
	sortStandings(lv.Rows, v.Sort, v.Desc)
	h.render(w, r, http.StatusOK, "leaderboard", page{Title: "Leaderboard · " + v.RegionName() + v.jobTitle(), Nav: "leaderboard", Data: lv})
}

// standings scores every known orchestrator in the view's region (or
// globally) over its window, ranked. Known means in the registry or tested
// in the window in any region.
func (h *Handler) standings(ctx context.Context, v view) ([]Standing, error) {
	aggs, err := h.cfg.Store.Aggregates(ctx, podium.StatsQuery{Since: v.Since.Unix(), Until: v.Until.Unix()})
	if err != nil {
		return nil, err
	}
	byOrch := map[string]map[string]podium.Aggregate{}
	for _, a := range aggs {
		if byOrch[a.Orchestrator] == nil {
			byOrch[a.Orchestrator] = map[string]podium.Aggregate{}
		}
		byOrch[a.Orchestrator][a.Region] = a
	}
	orchs := h.orchestrators(ctx)
	for addr := range byOrch {
		if _, ok := orchs[addr]; !ok {
			orchs[addr] = podium.Orchestrator{Address: addr}
		}
	}
	rows := make([]Standing, 0, len(orchs))
	for _, o := range orchs {
		rows = append(rows, h.standingOf(o, byOrch[o.Address], v.Region))
	}
	rank(rows)
	return rows, nil
}

// standingOf scores o in region, or for region "" as the mean of its
// scores over the regions where it has data.
func (h *Handler) standingOf(o podium.Orchestrator, aggs map[string]podium.Aggregate, region string) Standing {
	s := Standing{Orchestrator: o}
	for _, reg := range h.cfg.Regions {
		if region != "" && reg.ID != region {
			continue
		}
		a, ok := aggs[reg.ID]
		if !ok || a.Tests == 0 {
			continue
		}
		sc := score.Of(a)
		s.Score.SuccessRate += sc.SuccessRate
		s.Score.RoundTripScore += sc.RoundTripScore
		s.Score.Total += sc.Total
		s.Tests += a.Tests
		s.Regions++
	}
	if s.Regions > 0 {
		s.HasData = true
		n := float64(s.Regions)
		s.Score.SuccessRate /= n
		s.Score.RoundTripScore /= n
		s.Score.Total /= n
	}
	return s
}

// orchestrators returns the registry by address. A registry that fails
// costs the names, not the page.
func (h *Handler) orchestrators(ctx context.Context) map[string]podium.Orchestrator {
	m := map[string]podium.Orchestrator{}
	if h.cfg.Registry == nil {
		return m
	}
	list, err := h.cfg.Registry.Orchestrators(ctx)
	if err != nil {
		h.cfg.Logger.Warn("registry", "err", err)
		return m
	}
	for _, o := range list {
		o.Address = strings.ToLower(o.Address)
		m[o.Address] = o
	}
	return m
}

// rank numbers the rows with data as the program ranks them: score desc,
// then latency desc, then address asc.
func rank(rows []Standing) {
	sortStandings(rows, "total", true)
	for i := range rows {
		if rows[i].HasData {
			rows[i].Rank = i + 1
		}
	}
}

// sortStandings orders rows by col; rows without data always come last.
func sortStandings(rows []Standing, col string, desc bool) {
	less := func(a, b Standing) int {
		switch col {
		case "success":
			return cmpFloat(a.Score.SuccessRate, b.Score.SuccessRate)
		case "latency":
			return cmpFloat(a.Score.RoundTripScore, b.Score.RoundTripScore)
		case "tests":
			return cmpFloat(float64(a.Tests), float64(b.Tests))
		case "name":
			return strings.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName()))
		default:
			if c := cmpFloat(a.Score.Total, b.Score.Total); c != 0 {
				return c
			}
			return cmpFloat(a.Score.RoundTripScore, b.Score.RoundTripScore)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.HasData != b.HasData && col != "name" {
			return a.HasData
		}
		c := less(a, b)
		if desc {
			c = -c
		}
		if c != 0 {
			return c < 0
		}
		return a.Address < b.Address
	})
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// matches reports whether o's address or name contains q, ignoring case.
func matches(o podium.Orchestrator, q string) bool {
	if q == "" {
		return true
	}
	q = strings.ToLower(q)
	return strings.Contains(o.Address, q) || strings.Contains(strings.ToLower(o.Name), q)
}
