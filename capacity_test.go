package podium

import (
	"strings"
	"testing"
	"time"
)

// capacityRecord is a ramp 1, 2, 4 (capped), 3 bisected: 3 streams of 2
// renditions, stopped by capped.
func capacityRecord() Capacity {
	ok := func(n int) CapacityLevel {
		return CapacityLevel{Streams: n, Segments: 5 * n, Verified: 5 * n, RoundTripP50: 1.2, RoundTripP95: 1.9}
	}
	capped := CapacityLevel{Streams: 4, Segments: 20, Verified: 15, Capped: 5, RoundTripP50: 1.3, RoundTripP95: 2.1,
		Errors: map[string]int{}, Verdict: CapacityStoppedCapped}
	return Capacity{
		TestID: "capacity-FRA-0xabc-1", Region: "fra", Orchestrator: " 0xABCDEF0000000000000000000000000000000001 ",
		Timestamp: 1_700_000_000, Duration: 61.5, Streams: 3, Renditions: 6, Profiles: 2, Advertised: 4, Ceiling: 8,
		StoppedBy: CapacityStoppedCapped, Levels: []CapacityLevel{ok(1), ok(2), capped, ok(3)},
	}
}

func TestCapacity_Normalize(t *testing.T) {
	regions := NewRegionSet(DefaultRegions())
	now := time.Unix(1_700_000_100, 0)
	c := capacityRecord()
	if err := c.Normalize(regions, now); err != nil {
		t.Fatal(err)
	}
	if c.Region != "FRA" || c.Orchestrator != "0xabcdef0000000000000000000000000000000001" {
		t.Errorf("normalized to %q %q", c.Region, c.Orchestrator)
	}
	for _, tc := range []struct {
		name, field, msg string
		edit             func(c *Capacity)
	}{
		{"NoTestID", "test_id", "required", func(c *Capacity) { c.TestID = "" }},
		{"BadTestID", "test_id", "letters", func(c *Capacity) { c.TestID = "a b" }},
		{"UnknownRegion", "region", "unknown", func(c *Capacity) { c.Region = "XXX" }},
		{"BadAddress", "orchestrator", "address", func(c *Capacity) { c.Orchestrator = "0x12" }},
		{"Future", "timestamp", "future", func(c *Capacity) { c.Timestamp = now.Unix() + 3600 }},
		{"NegativeDuration", "duration", "between", func(c *Capacity) { c.Duration = -1 }},
		{"NoCeiling", "ceiling", "between", func(c *Capacity) { c.Ceiling = 0 }},
		{"OverCeiling", "streams", "ceiling", func(c *Capacity) { c.Streams, c.Renditions = 9, 18 }},
		// A dishonest prober or a tampered record claiming more than it ran.
		{"ClaimsMoreThanSustained", "streams", "highest level sustained in levels is 3", func(c *Capacity) { c.Streams, c.Renditions = 4, 8 }},
		{"RenditionsInflated", "renditions", "streams × profiles", func(c *Capacity) { c.Renditions = 24 }},
		{"NoProfiles", "profiles", "between", func(c *Capacity) { c.Profiles = 0 }},
		{"NegativeAdvertised", "advertised", "between", func(c *Capacity) { c.Advertised = -1 }},
		{"UnknownStop", "stopped_by", "must be", func(c *Capacity) { c.StoppedBy = "tired" }},
		{"CappedWithoutCappedLevel", "stopped_by", "no level", func(c *Capacity) { c.Levels[2].Verdict = CapacityStoppedBehind }},
		{"CeilingNotReached", "stopped_by", "ceiling", func(c *Capacity) { c.StoppedBy = CapacityStoppedCeiling }},
		{"SustainedWithFailures", "levels", "entry 0: a level sustained", func(c *Capacity) { c.Levels[0].Verified, c.Levels[0].Failed = 4, 1 }},
		{"CappedLevelNotCapped", "levels", "entry 2: a capped level", func(c *Capacity) { c.Levels[2].Capped = 0 }},
		{"MoreOutcomesThanSegments", "levels", "at most segments", func(c *Capacity) { c.Levels[1].Verified = 11 }},
		{"LevelOverCeiling", "levels", "entry 3: streams", func(c *Capacity) { c.Levels[3].Streams = 9 }},
		{"P50OverP95", "levels", "p50 at most p95", func(c *Capacity) { c.Levels[0].RoundTripP50 = 3 }},
		{"BadVerdict", "levels", "verdict must be", func(c *Capacity) { c.Levels[1].Verdict = "meh" }},
		{"ErrorCountOverSegments", "levels", "errors", func(c *Capacity) { c.Levels[2].Errors = map[string]int{"Timeout": 21} }},
		{"TooManyLevels", "levels", "at most", func(c *Capacity) { c.Levels = make([]CapacityLevel, MaxCapacityLevels+1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := capacityRecord()
			tc.edit(&c)
			err := c.Normalize(regions, now)
			if ErrorField(err) != tc.field || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v (field %q), want field %s saying %q", err, ErrorField(err), tc.field, tc.msg)
			}
		})
	}
	t.Run("OKCappedAtOnce", func(t *testing.T) {
		// Refused at the first level: recorded as capped at 0, not failed.
		c := capacityRecord()
		c.Streams, c.Renditions = 0, 0
		c.Levels = []CapacityLevel{{Streams: 1, Segments: 5, Capped: 5, Verdict: CapacityStoppedCapped}}
		if err := c.Normalize(regions, now); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("OKBudgetBeforeAnyLevel", func(t *testing.T) {
		c := capacityRecord()
		c.Streams, c.Renditions, c.Levels, c.StoppedBy = 0, 0, nil, CapacityStoppedBudget
		if err := c.Normalize(regions, now); err != nil {
			t.Fatal(err)
		}
	})
}
