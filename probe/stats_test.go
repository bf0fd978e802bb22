package probe_test

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
)

func TestCompute(t *testing.T) {
	info := probe.TestInfo{
		ID: "FRA-0xab-1-n", Region: "FRA", Orchestrator: "0xab",
		Start: time.Unix(1723741735, 0), SegDuration: 2 * time.Second, Profiles: 2,
	}
	ok := func(seq int, rtt time.Duration) probe.Outcome {
		return probe.Outcome{Seq: seq, Received: 2, Verified: 2, Upload: rtt / 4, Transcode: rtt / 2, Download: rtt / 4, RoundTrip: rtt}
	}
	t.Run("OK", func(t *testing.T) {
		s := probe.Compute(info, []probe.Outcome{ok(0, time.Second), ok(1, 3*time.Second)})
		want := podium.Stats{
			Region: "FRA", Orchestrator: "0xab", Timestamp: 1723741735, TestID: "FRA-0xab-1-n",
			SegmentsSent: 2, SegmentsReceived: 4, SuccessRate: 1, SegDuration: 2,
			UploadTime: 0.5, TranscodeTime: 1, DownloadTime: 0.5, RoundTripTime: 2,
			VerifiedRenditions: 4, Errors: []podium.StatsError{},
		}
		if !reflect.DeepEqual(s, want) {
			t.Fatalf("got  %+v\nwant %+v", s, want)
		}
	})
	t.Run("ErrMixed", func(t *testing.T) {
		// One good segment, one with a rejected rendition, one timed out,
		// one capped: only verified renditions count, only the good segment
		// is timed, each failure is counted under its code.
		cheat := probe.Outcome{Seq: 1, Received: 2, Verified: 1, Failures: []string{"P240p30fps16x9: stale"},
			Err: probe.Errorc(probe.CodeVerificationFailed, errors.New("1 of 2 renditions rejected")), RoundTrip: 9 * time.Second}
		timeout := probe.Outcome{Seq: 2, Err: probe.Errorc(probe.CodeTimeout, errors.New("deadline"))}
		capped := probe.Outcome{Seq: 3, Err: errors.New("remote: OrchestratorCapped")}
		s := probe.Compute(info, []probe.Outcome{ok(0, 2*time.Second), cheat, timeout, capped})
		if s.SegmentsSent != 4 || s.SegmentsReceived != 4 || s.VerifiedRenditions != 3 || s.VerificationFailures != 1 {
			t.Fatalf("counts: %+v", s)
		}
		if s.SuccessRate != 3.0/8 {
			t.Errorf("success_rate = %v, want 3/8", s.SuccessRate)
		}
		if s.RoundTripTime != 2 || s.UploadTime != 0.5 {
			t.Errorf("timings = rtt %v upload %v, want 2 and 0.5 (the good segment only)", s.RoundTripTime, s.UploadTime)
		}
		want := []podium.StatsError{
			{ErrorCode: "OrchestratorCapped", Message: "remote: OrchestratorCapped", Count: 1},
			{ErrorCode: "Timeout", Message: "Timeout: deadline", Count: 1},
			{ErrorCode: "VerificationFailed", Message: "P240p30fps16x9: stale", Count: 1},
		}
		if !reflect.DeepEqual(s.Errors, want) {
			t.Errorf("errors = %+v\nwant %+v", s.Errors, want)
		}
	})
	t.Run("ErrNoneSucceeded", func(t *testing.T) {
		s := probe.Compute(info, []probe.Outcome{{Err: errors.New("x")}, {Err: errors.New("y")}})
		if s.SuccessRate != 0 || s.RoundTripTime != 0 || s.UploadTime != 0 {
			t.Fatalf("want zeros, got %+v", s)
		}
		if len(s.Errors) != 1 || s.Errors[0].ErrorCode != "Unknown" || s.Errors[0].Count != 2 || s.Errors[0].Message != "x" {
			t.Fatalf("errors = %+v, want Unknown×2 with the first message", s.Errors)
		}
	})
	t.Run("OKNormalizes", func(t *testing.T) {
		// A computed record passes the leaderboard's own checks.
		in := info
		in.Orchestrator = "0x0fc80000000000000000000000000000000a8658"
		long := string(make([]byte, 5000))
		s := probe.Compute(in, []probe.Outcome{ok(0, time.Second), {Err: errors.New(long)}})
		if err := s.Normalize(podium.NewRegionSet(podium.DefaultRegions()), in.Start); err != nil {
			t.Fatal(err)
		}
		if math.Abs(s.SuccessRate-0.5) > 1e-12 {
			t.Errorf("success_rate = %v", s.SuccessRate)
		}
	})
}

func TestSegmentTimeout(t *testing.T) {
	for _, tc := range []struct{ d, want time.Duration }{
		{time.Second, 8 * time.Second},
		{2 * time.Second, 8 * time.Second},
		{3 * time.Second, 12 * time.Second},
	} {
		if got := probe.SegmentTimeout(tc.d); got != tc.want {
			t.Errorf("SegmentTimeout(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
}
