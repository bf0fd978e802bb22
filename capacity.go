package podium

import (
	"strconv"
	"strings"
	"time"
)

// Capacity is one capacity test of one orchestrator from one region
// (issue 19): how many concurrent real-time streams it sustained. Its
// JSON is what a prober posts to /api/post_capacity and what
// /api/capacity answers.
type Capacity struct {
	TestID       string `json:"test_id"`
	Region       string `json:"region"`
	Orchestrator string `json:"orchestrator"`
	// Timestamp is when the test started (unix seconds); Duration how
	// long it took (seconds).
	Timestamp int64   `json:"timestamp"`
	Duration  float64 `json:"duration"`
	// Streams is the highest level sustained; Renditions is Streams ×
	// Profiles, the renditions of the ladder each stream asked for.
	Streams    int `json:"streams"`
	Renditions int `json:"renditions"`
	Profiles   int `json:"profiles"`
	// Advertised is the sessions the orchestrator advertises (0: it says
	// nothing).
	Advertised int `json:"advertised"`
	// Ceiling is the most streams the test would have tried.
	Ceiling int `json:"ceiling"`
	// StoppedBy is why the ramp stopped: one of the CapacityStopped*.
	StoppedBy string          `json:"stopped_by"`
	Levels    []CapacityLevel `json:"levels"`
}

// CapacityLevel is the figures of one level of a ramp, in the order run.
type CapacityLevel struct {
	Streams int `json:"streams"`
	// Segments were planned; Verified came back verified; Late came back
	// late or timed out; Capped were refused for capacity; Failed failed
	// otherwise.
	Segments  int     `json:"segments"`
	Verified  int     `json:"verified"`
	Late      int     `json:"late"`
	Capped    int     `json:"capped"`
	Failed    int     `json:"failed"`
	LateShare float64 `json:"late_share"`
	// RoundTripP50 and RoundTripP95 are seconds.
	RoundTripP50 float64        `json:"round_trip_p50"`
	RoundTripP95 float64        `json:"round_trip_p95"`
	Errors       map[string]int `json:"errors,omitempty"`
	// Verdict is "" for a level sustained, else CapacityStoppedCapped,
	// CapacityStoppedBehind or CapacityStoppedFailed.
	Verdict string `json:"verdict,omitempty"`
}

// Why a capacity ramp stopped (Capacity.StoppedBy).
const (
	CapacityStoppedCapped  = "capped"  // the orchestrator refused: at capacity, not failing
	CapacityStoppedBehind  = "behind"  // too many segments came back later than real time
	CapacityStoppedFailed  = "failed"  // segments failed otherwise
	CapacityStoppedCeiling = "ceiling" // every level up to the ceiling was sustained
	CapacityStoppedBudget  = "budget"  // the next level would have overrun the time budget
)

// Limits on a capacity record.
const (
	MaxCapacityStreams  = 1024
	MaxCapacityProfiles = 16
	MaxCapacityLevels   = 64
	MaxCapacitySegments = 100000
)

// Normalize checks every field of c against the record rules, and that
// the figures agree with each other (a prober or a tampered record cannot
// claim more streams than a level it ran sustained), lowercases the
// orchestrator and upper-cases the region. The error names the first
// field at fault.
func (c *Capacity) Normalize(regions RegionSet, now time.Time) error {
	if c.TestID == "" || len(c.TestID) > MaxTestIDLen || !testIDRE.MatchString(c.TestID) {
		return FieldError("test_id", "is required: 1 to %d characters of letters, digits and . _ : -", MaxTestIDLen)
	}
	c.Region = strings.ToUpper(strings.TrimSpace(c.Region))
	if c.Region == "" {
		return FieldError("region", "is required")
	}
	if !regions.Has(c.Region) {
		return FieldError("region", "unknown region %q", c.Region)
	}
	c.Orchestrator = strings.ToLower(strings.TrimSpace(c.Orchestrator))
	if !addressRE.MatchString(c.Orchestrator) {
		return FieldError("orchestrator", "must be a 0x-prefixed 40-hex-digit address")
	}
	if c.Timestamp <= 0 {
		return FieldError("timestamp", "must be a positive unix time in seconds")
	}
	if limit := now.Add(MaxFutureSkew).Unix(); c.Timestamp > limit {
		return FieldError("timestamp", "is %d s in the future; at most %s is allowed", c.Timestamp-now.Unix(), MaxFutureSkew)
	}
	if bad(c.Duration) || c.Duration > 24*MaxDuration {
		return FieldError("duration", "must be a number of seconds between 0 and %g", 24*MaxDuration)
	}
	switch {
	case c.Ceiling < 1 || c.Ceiling > MaxCapacityStreams:
		return FieldError("ceiling", "must be between 1 and %d streams", MaxCapacityStreams)
	case c.Streams < 0 || c.Streams > c.Ceiling:
		return FieldError("streams", "must be between 0 and the ceiling, %d", c.Ceiling)
	case c.Profiles < 1 || c.Profiles > MaxCapacityProfiles:
		return FieldError("profiles", "must be between 1 and %d renditions a stream", MaxCapacityProfiles)
	case c.Renditions != c.Streams*c.Profiles:
		return FieldError("renditions", "must be streams × profiles = %d, not %d", c.Streams*c.Profiles, c.Renditions)
	case c.Advertised < 0 || c.Advertised > MaxSegments:
		return FieldError("advertised", "must be between 0 and %d sessions", MaxSegments)
	case len(c.Levels) > MaxCapacityLevels:
		return FieldError("levels", "has %d entries; at most %d are allowed", len(c.Levels), MaxCapacityLevels)
	}
	sustained, verdicts := 0, map[string]bool{}
	for i := range c.Levels {
		if err := c.Levels[i].check(c.Ceiling); err != nil {
			err.Message = "entry " + strconv.Itoa(i) + ": " + err.Message
			return err
		}
		lv := c.Levels[i]
		if lv.Verdict == "" {
			sustained = max(sustained, lv.Streams)
		}
		verdicts[lv.Verdict] = true
	}
	if c.Streams != sustained {
		return FieldError("streams", "is %d, but the highest level sustained in levels is %d", c.Streams, sustained)
	}
	switch c.StoppedBy {
	case CapacityStoppedCapped, CapacityStoppedBehind, CapacityStoppedFailed:
		if !verdicts[c.StoppedBy] {
			return FieldError("stopped_by", "is %q, but no level has that verdict", c.StoppedBy)
		}
	case CapacityStoppedCeiling:
		if c.Streams != c.Ceiling {
			return FieldError("stopped_by", "is ceiling, but streams %d is not the ceiling %d", c.Streams, c.Ceiling)
		}
	case CapacityStoppedBudget:
	default:
		return FieldError("stopped_by", "must be capped, behind, failed, ceiling or budget, not %q", c.StoppedBy)
	}
	return nil
}

// check checks one level; the error's field is "levels".
func (lv *CapacityLevel) check(ceiling int) *Error {
	switch {
	case lv.Streams < 1 || lv.Streams > ceiling:
		return FieldError("levels", "streams must be between 1 and the ceiling, %d", ceiling)
	case lv.Segments < lv.Streams || lv.Segments > MaxCapacitySegments:
		return FieldError("levels", "segments must be between streams and %d", MaxCapacitySegments)
	case lv.Verified < 0 || lv.Late < 0 || lv.Capped < 0 || lv.Failed < 0 || lv.Late > lv.Segments ||
		lv.Verified+lv.Capped+lv.Failed > lv.Segments:
		return FieldError("levels", "verified, late, capped and failed must be 0 or more, and verified + capped + failed and late at most segments")
	case bad(lv.LateShare) || lv.LateShare > 1:
		return FieldError("levels", "late_share must be a number between 0 and 1")
	case bad(lv.RoundTripP50) || bad(lv.RoundTripP95) || lv.RoundTripP50 > MaxDuration || lv.RoundTripP95 > MaxDuration || lv.RoundTripP50 > lv.RoundTripP95:
		return FieldError("levels", "round_trip_p50 and round_trip_p95 must be seconds between 0 and %g, p50 at most p95", MaxDuration)
	case len(lv.Errors) > MaxErrors:
		return FieldError("levels", "errors has %d codes; at most %d are allowed", len(lv.Errors), MaxErrors)
	}
	for code, n := range lv.Errors {
		if code == "" || len(code) > MaxErrorCodeLen || n < 0 || n > lv.Segments {
			return FieldError("levels", "errors: each code must be 1 to %d characters, its count between 0 and segments", MaxErrorCodeLen)
		}
	}
	switch lv.Verdict {
	case "":
		if lv.Capped > 0 || lv.Failed > 0 {
			return FieldError("levels", "a level sustained (no verdict) has no capped or failed segments")
		}
	case CapacityStoppedCapped:
		if lv.Capped == 0 {
			return FieldError("levels", "a capped level has capped segments")
		}
	case CapacityStoppedFailed:
		if lv.Failed == 0 {
			return FieldError("levels", "a failed level has failed segments")
		}
	case CapacityStoppedBehind:
	default:
		return FieldError("levels", "verdict must be empty, capped, behind or failed, not %q", lv.Verdict)
	}
	return nil
}
