package podium

import (
	"math"
	"regexp"
	"strings"
	"time"
)

// Stats is one test of one orchestrator from one region: the unit of
// measurement. Its JSON is what Livepeer's stream-tester posts to the
// leaderboard; TestID, VerifiedRenditions, VerificationFailures and Cost
// are podium's own and optional for other senders.
type Stats struct {
	Region           string       `json:"region"`
	Orchestrator     string       `json:"orchestrator"`
	Timestamp        int64        `json:"timestamp"`
	SegmentsSent     int          `json:"segments_sent"`
	SegmentsReceived int          `json:"segments_received"`
	SuccessRate      float64      `json:"success_rate"`
	SegDuration      float64      `json:"seg_duration"`
	UploadTime       float64      `json:"upload_time"`
	DownloadTime     float64      `json:"download_time"`
	TranscodeTime    float64      `json:"transcode_time"`
	RoundTripTime    float64      `json:"round_trip_time"`
	Errors           []StatsError `json:"errors"`

	TestID               string `json:"test_id,omitempty"`
	VerifiedRenditions   int    `json:"verified_renditions,omitempty"`
	VerificationFailures int    `json:"verification_failures,omitempty"`

	// Cost is what the test paid in tickets; nil when it paid nothing.
	Cost *StatsCost `json:"cost,omitempty"`

	// The fields of an AI test, as Livepeer's AI job tester posts them. A
	// record is an AI test when both Pipeline and Model are set (IsAI).
	Pipeline        string `json:"pipeline,omitempty"`
	Model           string `json:"model,omitempty"`
	ModelIsWarm     bool   `json:"model_is_warm,omitempty"`
	InputParameters string `json:"input_parameters,omitempty"`
	ResponsePayload string `json:"response_payload,omitempty"`
}

// Job types, as the leaderboard API names them (the job_type parameter and
// the type of a region).
const (
	JobTranscoding = "transcoding"
	JobAI          = "ai"
)

// IsAI reports whether s is an AI test: both its pipeline and its model are
// set, the rule Livepeer's leaderboard uses.
func (s Stats) IsAI() bool { return s.Pipeline != "" && s.Model != "" }

// JobType is JobAI for an AI test and JobTranscoding otherwise.
func (s Stats) JobType() string {
	if s.IsAI() {
		return JobAI
	}
	return JobTranscoding
}

// StatsError counts one kind of failure within a test. ErrorCode uses
// go-livepeer's vocabulary where one exists (Timeout, OrchestratorCapped, ...)
// and VerificationFailed for a rendition that is not a true transcode.
type StatsError struct {
	ErrorCode string `json:"error_code"`
	Message   string `json:"message,omitempty"`
	Count     int    `json:"count"`
}

// Limits on a stats record. A test segment that takes longer than MaxDuration
// is a timeout, not a measurement.
const (
	MaxDuration     = 3600.0 // seconds, for every time field
	MaxSegments     = 100000
	MaxErrors       = 64
	MaxErrorCodeLen = 64
	MaxMessageLen   = 1024
	MaxTestIDLen    = 128
	// MaxFutureSkew is how far in the future a timestamp may be.
	MaxFutureSkew = 5 * time.Minute
)

// ErrorCodeVerificationFailed is the error code of a rendition whose content
// does not match its source.
const ErrorCodeVerificationFailed = "VerificationFailed"

var (
	addressRE = regexp.MustCompile(`^0x[0-9a-f]{40}$`)
	testIDRE  = regexp.MustCompile(`^[A-Za-z0-9._:-]+$`)
)

// IsAddress reports whether s is a 0x-prefixed 20-byte hex address (any case).
func IsAddress(s string) bool { return addressRE.MatchString(strings.ToLower(s)) }

// Normalize checks every field of s against the record rules and lowercases
// the orchestrator address and upper-cases the region. The error names the
// first field at fault.
func (s *Stats) Normalize(regions RegionSet, now time.Time) error {
	s.Region = strings.ToUpper(strings.TrimSpace(s.Region))
	if s.Region == "" {
		return FieldError("region", "is required")
	}
	if !regions.Has(s.Region) {
		return FieldError("region", "unknown region %q", s.Region)
	}
	if jt := s.JobType(); !regions.Serves(s.Region, jt) {
		// leaderboard-serverless answers 200 and stores nothing here; a
		// tester should learn that its record was not kept.
		return FieldError("region", "region %q takes %s tests, not %s tests", s.Region,
			strings.Join(regions.Types(s.Region), " and "), jt).
			WithHint("post it for a region that lists type " + jt + " at /api/regions")
	}
	s.Orchestrator = strings.ToLower(strings.TrimSpace(s.Orchestrator))
	if !addressRE.MatchString(s.Orchestrator) {
		return FieldError("orchestrator", "must be a 0x-prefixed 40-hex-digit address")
	}
	if s.Timestamp <= 0 {
		return FieldError("timestamp", "must be a positive unix time in seconds")
	}
	if limit := now.Add(MaxFutureSkew).Unix(); s.Timestamp > limit {
		return FieldError("timestamp", "is %d s in the future; at most %s is allowed", s.Timestamp-now.Unix(), MaxFutureSkew)
	}
	// An AI test has a pipeline and a model, or neither: one alone is a
	// record that would be scored as the wrong job.
	if (s.Pipeline == "") != (s.Model == "") {
		if s.Pipeline == "" {
			return FieldError("pipeline", "is required with model (an AI test names both)")
		}
		return FieldError("model", "is required with pipeline (an AI test names both)")
	}
	if s.IsAI() {
		// The segment and timing fields are a transcoding test's; an AI
		// test's are not checked, and not stored: they are cleared, so the
		// record's key is that of what is stored.
		if bad(s.SuccessRate) || s.SuccessRate > 1 {
			return FieldError("success_rate", "must be a number between 0 and 1")
		}
		if bad(s.RoundTripTime) || s.RoundTripTime > MaxDuration {
			return FieldError("round_trip_time", "must be a number of seconds between 0 and %g", MaxDuration)
		}
		s.SegmentsSent, s.SegmentsReceived, s.VerifiedRenditions, s.VerificationFailures = 0, 0, 0, 0
		s.SegDuration, s.UploadTime, s.DownloadTime, s.TranscodeTime = 0, 0, 0, 0
		if err := s.normalizeAI(); err != nil {
			return err
		}
		return s.normalizeCommon()
	}
	for _, f := range []struct {
		name string
		v    int
	}{
		{"segments_sent", s.SegmentsSent},
		{"segments_received", s.SegmentsReceived},
		{"verified_renditions", s.VerifiedRenditions},
		{"verification_failures", s.VerificationFailures},
	} {
		if f.v < 0 || f.v > MaxSegments*10 {
			return FieldError(f.name, "must be between 0 and %d", MaxSegments*10)
		}
	}
	if s.SegmentsSent > MaxSegments {
		return FieldError("segments_sent", "must be at most %d", MaxSegments)
	}
	if bad(s.SuccessRate) || s.SuccessRate > 1 {
		return FieldError("success_rate", "must be a number between 0 and 1")
	}
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"seg_duration", s.SegDuration},
		{"upload_time", s.UploadTime},
		{"download_time", s.DownloadTime},
		{"transcode_time", s.TranscodeTime},
		{"round_trip_time", s.RoundTripTime},
	} {
		if bad(f.v) || f.v > MaxDuration {
			return FieldError(f.name, "must be a number of seconds between 0 and %g", MaxDuration)
		}
	}
	return s.normalizeCommon()
}

// normalizeCommon checks the fields after the measurements that every
// record has: errors, test ID and cost.
func (s *Stats) normalizeCommon() error {
	if len(s.Errors) > MaxErrors {
		return FieldError("errors", "has %d entries; at most %d are allowed", len(s.Errors), MaxErrors)
	}
	for i, e := range s.Errors {
		if e.ErrorCode == "" || len(e.ErrorCode) > MaxErrorCodeLen {
			return FieldError("errors", "entry %d: error_code must be 1 to %d characters", i, MaxErrorCodeLen)
		}
		if len(e.Message) > MaxMessageLen {
			return FieldError("errors", "entry %d: message must be at most %d bytes", i, MaxMessageLen)
		}
		if e.Count < 0 || e.Count > MaxSegments*10 {
			return FieldError("errors", "entry %d: count must be between 0 and %d", i, MaxSegments*10)
		}
	}
	if s.TestID != "" && (len(s.TestID) > MaxTestIDLen || !testIDRE.MatchString(s.TestID)) {
		return FieldError("test_id", "must be 1 to %d characters of letters, digits and . _ : -", MaxTestIDLen)
	}
	if s.Cost != nil {
		return s.Cost.Normalize()
	}
	return nil
}

func bad(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || v < 0 }
