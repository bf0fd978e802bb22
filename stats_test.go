package podium_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func sample() podium.Stats {
	return podium.Stats{
		Region: "fra", Orchestrator: "0x0FC80AFB7876F579F1FB1C4D1C37CF1339038658",
		Timestamp: 1723741735, SegmentsSent: 15, SegmentsReceived: 30, SuccessRate: 1,
		SegDuration: 2.0088, UploadTime: 0.7765, DownloadTime: 0.9568, TranscodeTime: 0.2135,
		RoundTripTime: 1.9470, TestID: "t-1",
	}
}

func TestStats_Normalize(t *testing.T) {
	regions := podium.NewRegionSet(podium.DefaultRegions())
	now := time.Unix(1723741735, 0)
	t.Run("OK", func(t *testing.T) {
		s := sample()
		if err := s.Normalize(regions, now); err != nil {
			t.Fatal(err)
		}
		if s.Region != "FRA" || s.Orchestrator != "0x0fc80afb7876f579f1fb1c4d1c37cf1339038658" {
			t.Fatalf("not normalized: %q %q", s.Region, s.Orchestrator)
		}
	})
	t.Run("OKPastTimestamp", func(t *testing.T) {
		s := sample()
		s.Timestamp = 1608000000 // December 2020: backfills are normal
		if err := s.Normalize(regions, now); err != nil {
			t.Fatal(err)
		}
	})
	for _, tc := range []struct {
		name, field string
		mod         func(*podium.Stats)
	}{
		{"ErrRegionMissing", "region", func(s *podium.Stats) { s.Region = "" }},
		{"ErrRegionUnknown", "region", func(s *podium.Stats) { s.Region = "XYZ" }},
		{"ErrAddress", "orchestrator", func(s *podium.Stats) { s.Orchestrator = "0x123" }},
		{"ErrAddressNotHex", "orchestrator", func(s *podium.Stats) { s.Orchestrator = "0xzz80afb7876f579f1fb1c4d1c37cf1339038658" }},
		{"ErrTimestampZero", "timestamp", func(s *podium.Stats) { s.Timestamp = 0 }},
		{"ErrTimestampFuture", "timestamp", func(s *podium.Stats) { s.Timestamp = now.Add(6 * time.Minute).Unix() }},
		{"ErrSuccessAboveOne", "success_rate", func(s *podium.Stats) { s.SuccessRate = 1.01 }},
		{"ErrSuccessNegative", "success_rate", func(s *podium.Stats) { s.SuccessRate = -0.1 }},
		{"ErrSuccessNaN", "success_rate", func(s *podium.Stats) { s.SuccessRate = math.NaN() }},
		{"ErrRTTInf", "round_trip_time", func(s *podium.Stats) { s.RoundTripTime = math.Inf(1) }},
		{"ErrUploadNegative", "upload_time", func(s *podium.Stats) { s.UploadTime = -1 }},
		{"ErrSegDurationHuge", "seg_duration", func(s *podium.Stats) { s.SegDuration = 1e9 }},
		{"ErrSegmentsNegative", "segments_sent", func(s *podium.Stats) { s.SegmentsSent = -1 }},
		{"ErrErrorCodeEmpty", "errors", func(s *podium.Stats) { s.Errors = []podium.StatsError{{Count: 1}} }},
		{"ErrTestID", "test_id", func(s *podium.Stats) { s.TestID = "a b" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sample()
			tc.mod(&s)
			err := s.Normalize(regions, now)
			if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorField(err) != tc.field {
				t.Fatalf("got %v (code %q field %q), want invalid %s", err, podium.ErrorCode(err), podium.ErrorField(err), tc.field)
			}
		})
	}
}

func TestStats_JSON(t *testing.T) {
	// The stream-tester's own sample must decode field for field.
	const body = `{"errors":[],"region":"MDW","timestamp":1723741735,"upload_time":0.7765968238571429,
	"orchestrator":"0x0fc80afb7876f579f1fb1c4d1c37cf1339038658","seg_duration":2.0088571428571425,
	"success_rate":1,"download_time":0.9568952794285714,"segments_sent":15,
	"transcode_time":0.21355154864285741,"round_trip_time":1.9470436519285717,"segments_received":30}`
	var s podium.Stats
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	if s.SegmentsReceived != 30 || s.RoundTripTime != 1.9470436519285717 || s.Region != "MDW" {
		t.Fatalf("decoded %+v", s)
	}
}
