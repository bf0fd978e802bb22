package ui

import (
	"context"
	"fmt"
	"strconv"

	"github.com/podiumhq/podium"
)

// capacityCell is one orchestrator's latest capacity test in one region,
// as the leaderboard's capacity column shows it; Latest is nil when it has
// had none ("no test yet", never 0).
type capacityCell struct {
	Region string
	Latest *podium.Capacity
}

// Short says what the test found in a few words: the streams sustained,
// "capped at N", "N+" at the test's ceiling; a test that sustained no
// stream says why, never "0".
func (c capacityCell) Short() string {
	l := c.Latest
	switch {
	case l == nil:
		return "no test yet"
	case l.StoppedBy == podium.CapacityStoppedCeiling:
		return strconv.Itoa(l.Streams) + "+"
	case l.Streams == 0 && l.StoppedBy == podium.CapacityStoppedCapped:
		return "capped at 1st stream"
	case l.Streams == 0 && l.StoppedBy == podium.CapacityStoppedBehind:
		return "behind at 1 stream"
	case l.Streams == 0 && l.StoppedBy == podium.CapacityStoppedFailed:
		return "failed at 1 stream"
	case l.Streams == 0:
		return "not measured"
	case l.StoppedBy == podium.CapacityStoppedCapped:
		return fmt.Sprintf("capped at %d", l.Streams)
	}
	return strconv.Itoa(l.Streams)
}

// Text is the long form (capacityText), for the cell's title.
func (c capacityCell) Text() string { return capacityText(c.Latest) }

// Number reports whether Short is a plain count of streams.
func (c capacityCell) Number() bool {
	return c.Latest != nil && c.Latest.Streams > 0 && c.Latest.StoppedBy != podium.CapacityStoppedCapped
}

// capacityCells returns, per orchestrator, its latest capacity test in
// each of the view's regions (every region for Global) however old; nil
// when the store keeps no capacity records.
func (h *Handler) capacityCells(ctx context.Context, v view) (map[string][]capacityCell, error) {
	cs, ok := h.cfg.Store.(podium.CapacityStore)
	if !ok {
		return nil, nil
	}
	all, err := cs.Capacities(ctx, podium.CapacityQuery{Region: v.Region, Until: v.Until.Unix() + 1})
	if err != nil {
		return nil, err
	}
	latest := map[[2]string]*podium.Capacity{}
	for i := range all { // newest first: the first seen is the latest
		key := [2]string{all[i].Orchestrator, all[i].Region}
		if latest[key] == nil {
			latest[key] = &all[i]
		}
	}
	out := map[string][]capacityCell{}
	for key := range latest {
		if out[key[0]] == nil {
			for _, reg := range h.cfg.Regions {
				if v.Region == "" || reg.ID == v.Region {
					out[key[0]] = append(out[key[0]], capacityCell{Region: reg.ID, Latest: latest[[2]string{key[0], reg.ID}]})
				}
			}
		}
	}
	return out, nil
}
