package podium_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
)

func TestStats_Key(t *testing.T) {
	base := podium.Stats{
		Region: "FRA", Orchestrator: "0x0fc8000000000000000000000000000000008658", Timestamp: 1723741735,
		SegmentsSent: 15, SegmentsReceived: 30, SuccessRate: 1, SegDuration: 2.0088,
		UploadTime: 0.7765, DownloadTime: 0.9568, TranscodeTime: 0.2135, RoundTripTime: 1.947,
		Errors: []podium.StatsError{},
	}
	t.Run("OK", func(t *testing.T) {
		// The content key is stored: it must never change for a record.
		sum := sha256.Sum256([]byte(canonical))
		if got, want := base.Key(), "sha256:"+hex.EncodeToString(sum[:]); got != want {
			t.Fatalf("Key() = %q, want %q (the canonical form changed)", got, want)
		}
	})
	t.Run("TestID", func(t *testing.T) {
		s := base
		s.TestID = "probe-fra:1"
		if got := s.Key(); got != "probe-fra:1" {
			t.Fatalf("Key() = %q, want the test ID", got)
		}
	})
	t.Run("NilErrorsSameAsEmpty", func(t *testing.T) {
		s := base
		s.Errors = nil
		if s.Key() != base.Key() {
			t.Fatal("nil and empty errors give different keys")
		}
	})
	t.Run("EveryFieldCounts", func(t *testing.T) {
		for name, change := range map[string]func(*podium.Stats){
			"region":                func(s *podium.Stats) { s.Region = "MDW" },
			"orchestrator":          func(s *podium.Stats) { s.Orchestrator = "0x" + strings.Repeat("1", 40) },
			"timestamp":             func(s *podium.Stats) { s.Timestamp++ },
			"segments_sent":         func(s *podium.Stats) { s.SegmentsSent++ },
			"segments_received":     func(s *podium.Stats) { s.SegmentsReceived++ },
			"success_rate":          func(s *podium.Stats) { s.SuccessRate = 0.5 },
			"seg_duration":          func(s *podium.Stats) { s.SegDuration += 1e-12 },
			"upload_time":           func(s *podium.Stats) { s.UploadTime++ },
			"download_time":         func(s *podium.Stats) { s.DownloadTime++ },
			"transcode_time":        func(s *podium.Stats) { s.TranscodeTime++ },
			"round_trip_time":       func(s *podium.Stats) { s.RoundTripTime++ },
			"errors":                func(s *podium.Stats) { s.Errors = []podium.StatsError{{ErrorCode: "Timeout", Count: 1}} },
			"verified_renditions":   func(s *podium.Stats) { s.VerifiedRenditions++ },
			"verification_failures": func(s *podium.Stats) { s.VerificationFailures++ },
		} {
			s := base
			change(&s)
			if s.Key() == base.Key() {
				t.Errorf("changing %s keeps the key", name)
			}
		}
	})
}

// canonical is base's canonical JSON, fixed once: stored keys depend on it.
const canonical = `{"region":"FRA","orchestrator":"0x0fc8000000000000000000000000000000008658",` +
	`"timestamp":1723741735,"segments_sent":15,"segments_received":30,"success_rate":1,` +
	`"seg_duration":2.0088,"upload_time":0.7765,"download_time":0.9568,"transcode_time":0.2135,` +
	`"round_trip_time":1.947,"errors":[]}`
