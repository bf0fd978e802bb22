package round1

import (
	"fmt"
	"time"

	"github.com/podiumhq/podium"
)

// Upscaler is the model of the AI records' upscale tests.
const Upscaler = "stabilityai/stable-diffusion-x4-upscaler"

// AIRecords are tests of program/testdata/ai.yaml's round 1: transcoding
// ones and AI ones on two pipelines in both regions.
func AIRecords(at time.Time) []podium.Stats {
	var out []podium.Stats
	for i := 1; i <= 4; i++ {
		a := fmt.Sprintf("0x%040x", i)
		for h := 1; h <= 3; h++ {
			ts := at.Add(-time.Duration(h) * time.Hour).Unix()
			out = append(out, podium.Stats{Orchestrator: a, Region: "MDW", Timestamp: ts, SegmentsSent: 1, SegmentsReceived: 3,
				SuccessRate: 1, SegDuration: 2, RoundTripTime: 1 + 0.25*float64(i), VerifiedRenditions: 3, TestID: fmt.Sprintf("t%d%d", i, h)})
			for _, region := range []string{"MDW", "FRA"} {
				out = append(out, podium.Stats{Orchestrator: a, Region: region, Timestamp: ts, SuccessRate: 1,
					RoundTripTime: 0.5 * float64(i+h), Pipeline: "upscale", Model: Upscaler, TestID: fmt.Sprintf("u%d%d%s", i, h, region)})
			}
			out = append(out, podium.Stats{Orchestrator: a, Region: "FRA", Timestamp: ts, SuccessRate: []float64{1, 0.85, 0.7, 0.55}[i-1],
				RoundTripTime: 1.5, Pipeline: "llm", Model: "meta-llama/Meta-Llama-3.1-8B-Instruct", TestID: fmt.Sprintf("l%d%d", i, h)})
		}
	}
	return out
}
