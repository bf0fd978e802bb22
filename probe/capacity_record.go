package probe

import (
	"maps"
	"strings"

	"github.com/podiumhq/podium"
)

// Record is the capacity record of r that the prober signs and posts.
func (r CapacityResult) Record() podium.Capacity {
	c := podium.Capacity{
		TestID: r.ID, Region: r.Region, Orchestrator: strings.ToLower(r.Target.Address),
		Timestamp: r.Start.Unix(), Duration: r.End.Sub(r.Start).Seconds(),
		Streams: r.Streams, Renditions: r.Renditions, Profiles: r.Profiles, Advertised: r.Advertised,
		Ceiling: r.Ceiling, StoppedBy: r.StoppedBy, Levels: make([]podium.CapacityLevel, len(r.Levels)),
	}
	for i, lv := range r.Levels {
		c.Levels[i] = podium.CapacityLevel{
			Streams: lv.Streams, Segments: lv.Segments, Verified: lv.Verified, Late: lv.Late, Capped: lv.Capped, Failed: lv.Failed,
			LateShare: lv.LateShare, RoundTripP50: lv.RoundTripP50.Seconds(), RoundTripP95: lv.RoundTripP95.Seconds(),
			Errors: maps.Clone(lv.Errors), Verdict: lv.Verdict,
		}
		if len(c.Levels[i].Errors) == 0 {
			c.Levels[i].Errors = nil
		}
	}
	return c
}
