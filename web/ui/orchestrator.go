package ui

import (
	"context"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/score"
)

// maxTests is how many of the latest tests the orchestrator page lists.
const maxTests = 20

// regionStanding is an orchestrator's score and timings in one region.
type regionStanding struct {
	podium.Region
	Standing
	Agg   podium.Aggregate
	Chart template.HTML
}

// Mean returns the mean of a summed duration, in seconds.
func (r regionStanding) Mean(sum int64) float64 {
	if r.Agg.Tests == 0 {
		return 0
	}
	return float64(sum) / podium.TimeUnit / float64(r.Agg.Tests)
}

// orchestratorView is the content of an orchestrator's page.
type orchestratorView struct {
	view
	podium.Orchestrator
	Global  Standing
	Regions []regionStanding
	Step    time.Duration
	Tests   []podium.Stats
	Hints   []hint
	Current *roundStanding
	// Shared are the registry groups sharing a service URI or host with
	// this orchestrator.
	Shared []podium.SharedEndpoint
	// Capacity is the capacity tests' section; nil when the store keeps
	// none.
	Capacity *capacityView
	// AI is the AI tests' section; nil when the store keeps none.
	AI *aiSection
}

// Path is the page's own path, for links that change the view.
func (o orchestratorView) Path() string { return "/orchestrators/" + o.Address }

func (h *Handler) orchestrator(w http.ResponseWriter, r *http.Request) {
	addr := strings.ToLower(r.PathValue("address"))
	if !podium.IsAddress(addr) {
		h.fail(w, r, podium.FieldError("address", "%q is not an orchestrator address", r.PathValue("address")).WithHint("an address is 0x followed by 40 hex digits"))
		return
	}
	v, err := parseView(r.URL.Query(), h.cfg.Now(), h.cfg.Regions)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ov, err := h.orchestratorView(r.Context(), v, addr)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "orchestrator", page{Title: ov.DisplayName(), Nav: "leaderboard", Data: ov})
}

func (h *Handler) orchestratorView(ctx context.Context, v view, addr string) (orchestratorView, error) {
	ov := orchestratorView{view: v, Orchestrator: podium.Orchestrator{Address: addr}}
	registered := false
	if o, ok := h.orchestrators(ctx)[addr]; ok {
		ov.Orchestrator, registered = o, true
		ov.Shared = h.sharedWith(ctx, addr)
	}
	aggs, err := h.cfg.Store.Aggregates(ctx, podium.StatsQuery{Orchestrator: addr, Since: v.Since.Unix(), Until: v.Until.Unix()})
	if err != nil {
		return ov, err
	}
	byRegion := map[string]podium.Aggregate{}
	for _, a := range aggs {
		byRegion[a.Region] = a
	}
	ov.Global = h.standingOf(ov.Orchestrator, byRegion, "")
	ov.Step = bucketFor(v.Until.Sub(v.Since))
	history, err := h.history(ctx, addr, v.Since, v.Until, ov.Step)
	if err != nil {
		return ov, err
	}
	for _, reg := range h.cfg.Regions {
		rs := regionStanding{Region: reg, Standing: h.standingOf(ov.Orchestrator, byRegion, reg.ID), Agg: byRegion[reg.ID]}
		rs.Chart = scoreChart("Score history in "+reg.Name, history[reg.ID], v.Since, v.Until, ov.Step)
		ov.Regions = append(ov.Regions, rs)
	}
	ov.Tests, err = h.cfg.Store.RawStats(ctx, podium.StatsQuery{Orchestrator: addr, Region: v.Region, Since: v.Since.Unix(), Until: v.Until.Unix(), Limit: maxTests})
	if err != nil {
		return ov, err
	}
	if ov.AI, err = h.aiOf(ctx, v, addr, ov.Step); err != nil {
		return ov, err
	}
	if !registered && len(aggs) == 0 && len(ov.Tests) == 0 && (ov.AI == nil || len(ov.AI.Results) == 0) {
		ever, err := h.everTested(ctx, addr)
		if err != nil {
			return ov, err
		}
		if !ever {
			return ov, podium.Errorf(podium.ENOTFOUND, "orchestrator %s is not in the registry and was never tested", addr).WithHint("check the address, or search the leaderboard by name")
		}
	}
	ov.Hints = hintsFor(ov.Tests)
	if ov.Capacity, err = h.capacityOf(ctx, addr, v.Until); err != nil {
		return ov, err
	}
	ov.Current, err = h.roundStanding(ctx, addr)
	if err != nil {
		return ov, err
	}
	return ov, nil
}

// everTested reports whether addr has a transcoding or an AI test, at any
// time: an orchestrator tested only on AI has a page too.
func (h *Handler) everTested(ctx context.Context, addr string) (bool, error) {
	q := podium.StatsQuery{Orchestrator: addr, Until: h.cfg.Now().Add(podium.MaxFutureSkew).Unix() + 1, Limit: 1}
	ever, err := h.cfg.Store.RawStats(ctx, q)
	if err != nil || len(ever) > 0 {
		return len(ever) > 0, err
	}
	ai, ok := h.cfg.Store.(podium.AIStore)
	if !ok {
		return false, nil
	}
	q.JobType = podium.JobAI
	ever, err = ai.AIRawStats(ctx, q)
	return len(ever) > 0, err
}

// history scores addr in each region per bucket of width step: one store
// query per bucket, so each point is exactly what the API returns for that
// bucket's window.
func (h *Handler) history(ctx context.Context, addr string, since, until time.Time, step time.Duration) (map[string][]point, error) {
	out := map[string][]point{}
	for t := since; t.Before(until); t = t.Add(step) {
		end := t.Add(step)
		if end.After(until) {
			end = until
		}
		aggs, err := h.cfg.Store.Aggregates(ctx, podium.StatsQuery{Orchestrator: addr, Since: t.Unix(), Until: end.Unix()})
		if err != nil {
			return nil, err
		}
		got := map[string]podium.Aggregate{}
		for _, a := range aggs {
			got[a.Region] = a
		}
		for _, reg := range h.cfg.Regions {
			p := point{At: t}
			if a := got[reg.ID]; a.Tests > 0 {
				s := score.Of(a)
				p = point{At: t, OK: true, Total: s.Total, Success: s.SuccessRate, Latency: s.RoundTripScore}
			}
			out[reg.ID] = append(out[reg.ID], p)
		}
	}
	return out, nil
}

// roundStanding is an orchestrator's place in a round: projected while
// the round runs, final once its snapshot is frozen.
type roundStanding struct {
	Round     round.Round
	Projected bool
	Recipient *podium.Recipient // nil: not among the recipients
	Token     podium.TokenInfo
	Payment   *round.Payment // the payout of Recipient, once planned
	TxURL     string
}

// roundStanding returns addr's standing in the round running now or, when
// none runs, in the latest round with results; nil when there is neither or
// no program is loaded.
func (h *Handler) roundStanding(ctx context.Context, addr string) (*roundStanding, error) {
	if h.cfg.Rounds == nil {
		return nil, nil
	}
	rounds, err := h.cfg.Rounds.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	now := h.cfg.Now()
	var d *podium.Distribution
	var rs *roundStanding
	for _, rd := range rounds {
		if !now.Before(rd.Start) && now.Before(rd.SnapshotAt) {
			p, err := h.cfg.Rounds.Projection(ctx, rd.ID)
			if err != nil {
				return nil, err
			}
			d, rs = &p.Distribution, &roundStanding{Round: rd, Projected: true}
			break
		}
	}
	for i := len(rounds) - 1; rs == nil && i >= 0; i-- {
		if rounds[i].Snapshot == nil || !rounds[i].Snapshot.Stored {
			continue
		}
		full, err := h.cfg.Rounds.Round(ctx, rounds[i].ID)
		if err != nil {
			return nil, err
		}
		if full.Distribution == nil {
			continue
		}
		d, rs = &full.Distribution.Distribution, &roundStanding{Round: *full}
	}
	if rs == nil {
		return nil, nil
	}
	rs.Token, rs.TxURL = d.Token, h.cfg.TxURL
	for i := range d.Recipients {
		if d.Recipients[i].Address == addr {
			rs.Recipient = &d.Recipients[i]
		}
	}
	if rs.Recipient != nil && !rs.Projected {
		for i := range rs.Round.Payments {
			if rs.Round.Payments[i].Recipient == addr {
				rs.Payment = &rs.Round.Payments[i]
			}
		}
	}
	return rs, nil
}

// sharedWith returns the registry's groups of entries that share a service
// URI or host with addr.
func (h *Handler) sharedWith(ctx context.Context, addr string) []podium.SharedEndpoint {
	list, err := h.cfg.Registry.Orchestrators(ctx)
	if err != nil {
		h.cfg.Logger.Warn("registry", "err", err)
		return nil
	}
	return podium.SharedWith(podium.SharedEndpoints(list), addr)
}
