package probe

import "github.com/podiumhq/podium"

// Record is the stats record an AI test posts: Livepeer's AI job tester's
// fields (success_rate, round_trip_time, pipeline, model, model_is_warm,
// input_parameters, response_payload, errors) and podium's test_id. The
// orchestrator's HTTP status, when it answered one, is in the error's
// message ("ai: status 500: …"). The transcoding fields stay zero.
func (s AIStats) Record() podium.Stats {
	errs := s.Errors
	if errs == nil {
		errs = []podium.StatsError{}
	}
	return podium.Stats{
		Region: s.Region, Orchestrator: s.Orchestrator, Timestamp: s.Timestamp,
		SuccessRate: s.SuccessRate, RoundTripTime: s.RoundTripTime, Errors: errs, TestID: s.TestID,
		Cost:     s.Cost,
		Pipeline: s.Pipeline, Model: s.Model, ModelIsWarm: s.ModelIsWarm,
		InputParameters: truncate(s.InputParameters, MaxInputParameters), ResponsePayload: truncate(s.ResponsePayload, MaxResponsePayload),
	}
}
