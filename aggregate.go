package podium

import "math"

// Fixed-point units in which aggregates are summed. Summing integers makes a
// window's totals independent of summation order, so a rollup, a raw scan, a
// SQLite query and a PostgreSQL query of the same records agree to the bit,
// and a snapshot taken twice has the same bytes.
const (
	TimeUnit = 1e6 // durations are summed in microseconds
	RateUnit = 1e9 // success rates are summed in billionths
)

// Aggregate sums the tests of one orchestrator in one region over a window.
// Tests == 0 means "no data", which is not the same as a score of 0.
type Aggregate struct {
	Orchestrator string `json:"orchestrator"`
	Region       string `json:"region"`

	Tests          int64 `json:"tests"`
	SumSegDuration int64 `json:"sum_seg_duration_us"`
	SumRoundTrip   int64 `json:"sum_round_trip_us"`
	SumSuccessRate int64 `json:"sum_success_rate_e9"`
	SumUpload      int64 `json:"sum_upload_us"`
	SumTranscode   int64 `json:"sum_transcode_us"`
	SumDownload    int64 `json:"sum_download_us"`

	SegmentsSent         int64 `json:"segments_sent"`
	SegmentsReceived     int64 `json:"segments_received"`
	VerifiedRenditions   int64 `json:"verified_renditions"`
	VerificationFailures int64 `json:"verification_failures"`
}

// Micros converts seconds to the fixed-point time unit, rounding to nearest.
func Micros(seconds float64) int64 { return int64(math.Round(seconds * TimeUnit)) }

// RateUnits converts a rate in [0,1] to the fixed-point rate unit.
func RateUnits(rate float64) int64 { return int64(math.Round(rate * RateUnit)) }

// Aggregate returns the aggregate of the single record s.
func (s Stats) Aggregate() Aggregate {
	return Aggregate{
		Orchestrator:         s.Orchestrator,
		Region:               s.Region,
		Tests:                1,
		SumSegDuration:       Micros(s.SegDuration),
		SumRoundTrip:         Micros(s.RoundTripTime),
		SumSuccessRate:       RateUnits(s.SuccessRate),
		SumUpload:            Micros(s.UploadTime),
		SumTranscode:         Micros(s.TranscodeTime),
		SumDownload:          Micros(s.DownloadTime),
		SegmentsSent:         int64(s.SegmentsSent),
		SegmentsReceived:     int64(s.SegmentsReceived),
		VerifiedRenditions:   int64(s.VerifiedRenditions),
		VerificationFailures: int64(s.VerificationFailures),
	}
}

// Add returns a + b; the key fields are taken from a (or b when a is empty).
func (a Aggregate) Add(b Aggregate) Aggregate {
	if a.Orchestrator == "" {
		a.Orchestrator, a.Region = b.Orchestrator, b.Region
	}
	a.Tests += b.Tests
	a.SumSegDuration += b.SumSegDuration
	a.SumRoundTrip += b.SumRoundTrip
	a.SumSuccessRate += b.SumSuccessRate
	a.SumUpload += b.SumUpload
	a.SumTranscode += b.SumTranscode
	a.SumDownload += b.SumDownload
	a.SegmentsSent += b.SegmentsSent
	a.SegmentsReceived += b.SegmentsReceived
	a.VerifiedRenditions += b.VerifiedRenditions
	a.VerificationFailures += b.VerificationFailures
	return a
}

// Score is an orchestrator's standing in one region on the API's 0–1 scale:
// SuccessRate is the mean success rate, RoundTripScore the latency score and
// Total their product. People see them ×10.
type Score struct {
	SuccessRate    float64 `json:"success_rate"`
	RoundTripScore float64 `json:"round_trip_score"`
	Total          float64 `json:"score"`
}
