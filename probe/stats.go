package probe

import (
	"sort"
	"time"

	"github.com/podiumhq/podium"
)

// Outcome is what happened to one segment of a test.
type Outcome struct {
	Seq int
	// Err is the segment's failure (transport or verification), nil when
	// every profile came back verified.
	Err error
	// Received counts the renditions that arrived; Verified those of them
	// that passed verification; Failures the reasons of those that did not.
	Received int
	Verified int
	Failures []string
	// Phases of the segment, and RoundTrip from upload start to the last
	// rendition downloaded; meaningful only when Err is nil.
	Upload, Transcode, Download, RoundTrip time.Duration
}

// Succeeded reports whether every profile of the segment came back verified.
func (o Outcome) Succeeded(profiles int) bool { return o.Err == nil && o.Verified == profiles }

// TestInfo identifies a test and its shape.
type TestInfo struct {
	ID           string
	Region       string
	Orchestrator string
	Start        time.Time
	SegDuration  time.Duration
	Profiles     int
}

// Compute turns a test's outcomes into its stats record (docs/design.md §5.1):
//
//	success_rate    = verified renditions ÷ (profiles × segments sent)
//	round_trip_time = mean RoundTrip over successful segments, 0 when none
//	upload/transcode/download_time: means of the phases over the same
//	errors          = failures aggregated by code, with counts
func Compute(t TestInfo, outcomes []Outcome) podium.Stats {
	s := podium.Stats{
		Region:       t.Region,
		Orchestrator: t.Orchestrator,
		Timestamp:    t.Start.Unix(),
		SegmentsSent: len(outcomes),
		SegDuration:  t.SegDuration.Seconds(),
		TestID:       t.ID,
		Errors:       []podium.StatsError{},
	}
	var ok int
	var up, tr, down, rtt time.Duration
	errs := map[string]*podium.StatsError{}
	count := func(code, msg string) {
		e := errs[code]
		if e == nil {
			e = &podium.StatsError{ErrorCode: code, Message: truncate(msg, podium.MaxMessageLen)}
			errs[code] = e
		}
		e.Count++
	}
	for _, o := range outcomes {
		s.SegmentsReceived += o.Received
		s.VerifiedRenditions += o.Verified
		s.VerificationFailures += len(o.Failures)
		for _, reason := range o.Failures {
			count(CodeVerificationFailed, reason)
		}
		if o.Err != nil && Classify(o.Err) != CodeVerificationFailed {
			count(Classify(o.Err), o.Err.Error())
		}
		if o.Succeeded(t.Profiles) {
			ok++
			up += o.Upload
			tr += o.Transcode
			down += o.Download
			rtt += o.RoundTrip
		}
	}
	if want := t.Profiles * len(outcomes); want > 0 {
		s.SuccessRate = float64(s.VerifiedRenditions) / float64(want)
	}
	if ok > 0 {
		n := time.Duration(ok)
		s.UploadTime = (up / n).Seconds()
		s.TranscodeTime = (tr / n).Seconds()
		s.DownloadTime = (down / n).Seconds()
		s.RoundTripTime = (rtt / n).Seconds()
	}
	for _, e := range errs {
		s.Errors = append(s.Errors, *e)
	}
	sort.Slice(s.Errors, func(i, j int) bool { return s.Errors[i].ErrorCode < s.Errors[j].ErrorCode })
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary so the message stays valid UTF-8.
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
