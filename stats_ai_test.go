package podium_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/podiumhq/podium"
)

func aiSample() podium.Stats {
	return podium.Stats{
		Region: "fra", Orchestrator: "0x22A48674A6FDF9335D89B6DBC05C38E2DC181475",
		Timestamp: 1725029035, SuccessRate: 1, RoundTripTime: 2.21572637,
		Pipeline: "text-to-image", Model: "ByteDance/SDXL-Lightning",
		InputParameters: `{"prompt":"a bear"}`, ResponsePayload: `{"images":[]}`,
		Errors: []podium.StatsError{{ErrorCode: "HTTP-STATUS-503", Count: 1}},
	}
}

func TestStats_NormalizeAI(t *testing.T) {
	regions := podium.NewRegionSet(podium.LeaderboardRegions())
	now := time.Unix(1725029035, 0)
	t.Run("OK", func(t *testing.T) {
		s := aiSample()
		// The transcoding-only fields are neither checked nor kept.
		s.SegmentsSent, s.SegDuration, s.UploadTime = -1, -2, 1e9
		if err := s.Normalize(regions, now); err != nil {
			t.Fatal(err)
		}
		if s.SegmentsSent != 0 || s.SegDuration != 0 || s.UploadTime != 0 || !s.IsAI() {
			t.Fatalf("transcoding fields kept: %+v", s)
		}
		if s.Region != "FRA" || s.Orchestrator != "0x22a48674a6fdf9335d89b6dbc05c38e2dc181475" {
			t.Fatalf("not normalized: %q %q", s.Region, s.Orchestrator)
		}
	})
	for _, tc := range []struct {
		name, field string
		edit        func(*podium.Stats)
	}{
		{"OnlyPipeline", "model", func(s *podium.Stats) { s.Model = "" }},
		{"OnlyModel", "pipeline", func(s *podium.Stats) { s.Pipeline = "" }},
		{"PipelineCharset", "pipeline", func(s *podium.Stats) { s.Pipeline = "text to image" }},
		{"PipelineLong", "pipeline", func(s *podium.Stats) { s.Pipeline = strings.Repeat("a", podium.MaxPipelineLen+1) }},
		{"ModelCharset", "model", func(s *podium.Stats) { s.Model = "a\"b" }},
		{"ModelLong", "model", func(s *podium.Stats) { s.Model = strings.Repeat("a", podium.MaxModelLen+1) }},
		{"SuccessRate", "success_rate", func(s *podium.Stats) { s.SuccessRate = 1.5 }},
		{"RoundTripNegative", "round_trip_time", func(s *podium.Stats) { s.RoundTripTime = -1 }},
		{"RoundTripLong", "round_trip_time", func(s *podium.Stats) { s.RoundTripTime = podium.MaxDuration + 1 }},
		{"ErrorCode", "errors", func(s *podium.Stats) { s.Errors = []podium.StatsError{{}} }},
		{"TestID", "test_id", func(s *podium.Stats) { s.TestID = "a b" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := aiSample()
			tc.edit(&s)
			err := s.Normalize(regions, now)
			var pe *podium.Error
			if !errors.As(err, &pe) || pe.Field != tc.field {
				t.Fatalf("err = %v, want a fault of %s", err, tc.field)
			}
		})
	}
	t.Run("TranscodingWithOnePipelineField", func(t *testing.T) {
		s := sample()
		s.Pipeline = "upscale"
		if err := s.Normalize(regions, time.Unix(1723741735, 0)); err == nil {
			t.Fatal("a record with a pipeline and no model was accepted")
		}
	})
}

func TestStats_BoundAI(t *testing.T) {
	s := aiSample()
	// A 3-byte character straddles the limit: it is cut whole.
	s.ResponsePayload = strings.Repeat("a", podium.MaxAIPayload-1) + "€" + "tail"
	s.InputParameters = strings.Repeat("b", podium.MaxAIPayload)
	cut := s.BoundAI()
	if len(cut) != 1 || cut[0] != "response_payload" {
		t.Fatalf("cut = %v", cut)
	}
	if len(s.ResponsePayload) != podium.MaxAIPayload-1 || !utf8.ValidString(s.ResponsePayload) {
		t.Fatalf("payload of %d bytes, valid %v", len(s.ResponsePayload), utf8.ValidString(s.ResponsePayload))
	}
	if len(s.InputParameters) != podium.MaxAIPayload {
		t.Fatalf("input cut to %d", len(s.InputParameters))
	}
	if cut := s.BoundAI(); cut != nil {
		t.Fatalf("bounded twice: %v", cut)
	}
	// Normalize bounds too, and the key is that of the stored record.
	s = aiSample()
	s.ResponsePayload = strings.Repeat("x", 3*podium.MaxAIPayload)
	if err := s.Normalize(podium.NewRegionSet(podium.LeaderboardRegions()), time.Unix(1725029035, 0)); err != nil {
		t.Fatal(err)
	}
	if len(s.ResponsePayload) != podium.MaxAIPayload {
		t.Fatalf("Normalize left %d bytes", len(s.ResponsePayload))
	}
}
