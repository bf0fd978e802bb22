package web

import "github.com/podiumhq/podium"

// aiRecord is an AI test as raw_stats answers it: the fields of an AI test
// and those common to every test, without the transcoding fields
// (segments, upload, download and transcode times), which an AI test does
// not have. leaderboard-serverless writes those with omitempty, so its AI
// records never carry them; a reader of its answers sees the same keys here
// (model_is_warm only when true, as there).
type aiRecord struct {
	Region          string              `json:"region"`
	Orchestrator    string              `json:"orchestrator"`
	Timestamp       int64               `json:"timestamp"`
	SuccessRate     float64             `json:"success_rate"`
	RoundTripTime   float64             `json:"round_trip_time"`
	Errors          []podium.StatsError `json:"errors"`
	TestID          string              `json:"test_id,omitempty"`
	Cost            *podium.StatsCost   `json:"cost,omitempty"`
	Pipeline        string              `json:"pipeline"`
	Model           string              `json:"model"`
	ModelIsWarm     bool                `json:"model_is_warm,omitempty"`
	InputParameters string              `json:"input_parameters,omitempty"`
	ResponsePayload string              `json:"response_payload,omitempty"`
}

// aiByRegion groups AI records by region, keeping their order, with
// "errors":[] for a record without errors.
func aiByRegion(recs []podium.Stats) map[string][]aiRecord {
	out := make(map[string][]aiRecord)
	for _, s := range recs {
		if s.Errors == nil {
			s.Errors = []podium.StatsError{}
		}
		out[s.Region] = append(out[s.Region], aiRecord{
			Region: s.Region, Orchestrator: s.Orchestrator, Timestamp: s.Timestamp,
			SuccessRate: s.SuccessRate, RoundTripTime: s.RoundTripTime, Errors: s.Errors,
			TestID: s.TestID, Cost: s.Cost,
			Pipeline: s.Pipeline, Model: s.Model, ModelIsWarm: s.ModelIsWarm,
			InputParameters: s.InputParameters, ResponsePayload: s.ResponsePayload,
		})
	}
	return out
}
