package demo

import (
	"slices"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/node"
)

// Character is one reference orchestrator of the demo: how it behaves and
// where it sits on the map, which decides each region's delay to it.
type Character struct {
	Name string
	// Why is what the demo expects of it, shown in the summary.
	Why   string
	Fault node.Fault
	// Capacity limits concurrent sessions (0: unlimited).
	Capacity int
	// Delay is the one-way delay from each region to it, in each direction.
	Delay map[string]time.Duration
	// Excluded marks the orchestrator the program excludes.
	Excluded bool
	// Cheats marks an orchestrator whose renditions are not honest
	// transcodes: the round is a success only if it is caught and unpaid.
	Cheats bool
	// AI makes it serve the reference node's AI pipelines too, with
	// AIFault; the probers test them every cycle. The leaderboard keeps AI
	// records apart from the transcoding ones (docs/design.md §4.6) and the
	// demo's program has no AI pool, so they show on the pages without
	// changing the payouts.
	AI      bool
	AIFault node.AIFault
}

// Regions are the demo's prober regions, nearest first for most characters.
var Regions = []string{"MDW", "FRA", "SIN"}

// leaderboardRegions are the rows of the leaderboard's default regions
// (podium.LeaderboardRegions) for GLOBAL and the demo's regions, so that its
// pages list only the places it tests from. Every demo region serves both
// job types, since every prober runs AI tests too: a region the default
// rows give no AI row (SIN) gets one under its transcoding name.
func leaderboardRegions() []podium.Region {
	var out []podium.Region
	has := map[[2]string]bool{}
	for _, r := range podium.LeaderboardRegions() {
		if r.ID == podium.GlobalRegion || slices.Contains(Regions, r.ID) {
			out = append(out, r)
			has[[2]string{r.ID, r.Type}] = true
		}
	}
	for _, r := range slices.Clone(out) {
		if r.Type == podium.JobTranscoding && !has[[2]string{r.ID, podium.JobAI}] {
			out = append(out, podium.Region{ID: r.ID, Name: r.Name, Type: podium.JobAI})
		}
	}
	return out
}

// near returns one-way delays for an orchestrator near region home: the
// region's base latency scaled by the distance, per region.
func near(home string, jitter time.Duration) map[string]time.Duration {
	base := map[string]map[string]time.Duration{
		"MDW": {"MDW": 10 * time.Millisecond, "FRA": 45 * time.Millisecond, "SIN": 90 * time.Millisecond},
		"FRA": {"MDW": 45 * time.Millisecond, "FRA": 10 * time.Millisecond, "SIN": 80 * time.Millisecond},
		"SIN": {"MDW": 90 * time.Millisecond, "FRA": 80 * time.Millisecond, "SIN": 10 * time.Millisecond},
	}[home]
	out := map[string]time.Duration{}
	for r, d := range base {
		out[r] = d + jitter
	}
	return out
}

// Cast returns the demo's orchestrators, n of them (6 to 10). The first six
// always carry the characters the summary is checked on: an honest fast one,
// the excluded one, the cheater, one good in one region only, a slow one and
// a flaky one; the rest add a capped one and more honest ones.
func Cast(n int) []Character {
	all := []Character{
		{Name: "fast", Why: "honest and close to every region", Delay: near("FRA", 5*time.Millisecond)},
		{Name: "inc", Why: "honest, but operated by Livepeer Inc.: excluded by the rules; serves AI too", Excluded: true, AI: true, Delay: near("MDW", 0)},
		{Name: "cheater", Why: "returns black renditions instead of transcoding, and blank AI pictures", Fault: node.Fault{Kind: node.FaultBlack}, Cheats: true,
			AI: true, AIFault: node.AIFault{Kind: node.AIFaultBlank}, Delay: near("FRA", 15*time.Millisecond)},
		{Name: "local", Why: "good from MDW only: the other regions are 1.2 s away each way", Delay: map[string]time.Duration{
			"MDW": 15 * time.Millisecond, "FRA": 1200 * time.Millisecond, "SIN": 1200 * time.Millisecond}},
		{Name: "slow", Why: "answers every segment 3 s late", Fault: node.Fault{Kind: node.FaultSlow, Delay: 3 * time.Second}, Delay: near("SIN", 10*time.Millisecond)},
		{Name: "flaky", Why: "fails 60 % of segments", Fault: node.Fault{Kind: node.FaultFlaky, Fraction: 0.6}, Delay: near("MDW", 20*time.Millisecond)},
		{Name: "capped", Why: "one session at a time: refuses the other regions while busy", Capacity: 1, Delay: near("SIN", 5*time.Millisecond)},
		{Name: "steady", Why: "honest, far from SIN", Delay: near("MDW", 30*time.Millisecond)},
		{Name: "stale", Why: "serves the previous segment's renditions", Fault: node.Fault{Kind: node.FaultStale}, Cheats: true, Delay: near("SIN", 25*time.Millisecond)},
		{Name: "distant", Why: "honest, 300 ms from every region", Delay: map[string]time.Duration{
			"MDW": 300 * time.Millisecond, "FRA": 300 * time.Millisecond, "SIN": 300 * time.Millisecond}},
	}
	n = max(6, min(n, len(all)))
	return all[:n]
}
