-- AI tests (podium.Stats.IsAI), kept apart from transcoding tests so that
-- neither counts in the other's aggregates (store/rollup/ai.go). Records
-- posted as AI before this migration were stored as transcoding tests
-- without their pipeline and model, and stay so: they cannot be told apart.
CREATE TABLE ai_stats (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	record_key TEXT NOT NULL UNIQUE,
	pipeline TEXT NOT NULL,
	model TEXT NOT NULL,
	orchestrator TEXT NOT NULL,
	region TEXT NOT NULL,
	ts bigint NOT NULL,
	test_id TEXT NOT NULL,
	success_rate double precision NOT NULL,
	round_trip_time double precision NOT NULL,
	model_is_warm bigint NOT NULL,
	errors TEXT NOT NULL,
	input_parameters TEXT NOT NULL,
	response_payload TEXT NOT NULL,
	success_rate_e9 bigint NOT NULL,
	round_trip_ns bigint NOT NULL,
	-- rtt_bin is the median histogram's bin of round_trip_time for a test
	-- the median counts (success rate 1, round trip not 0), NULL otherwise.
	rtt_bin bigint,
	received_at bigint NOT NULL,
	cost_tickets bigint,
	cost_face_value TEXT,
	cost_ev TEXT
);
CREATE INDEX ai_stats_ts ON ai_stats (ts);
CREATE INDEX ai_stats_orchestrator ON ai_stats (orchestrator, ts);
CREATE INDEX ai_stats_bin ON ai_stats (pipeline, model, rtt_bin, ts) WHERE rtt_bin IS NOT NULL;
CREATE INDEX ai_stats_bin_any ON ai_stats (rtt_bin, ts) WHERE rtt_bin IS NOT NULL;

-- ai_rollups sums the AI tests of a pipeline, model, orchestrator and
-- region over aligned buckets of width seconds (rollup.AIWidths).
CREATE TABLE ai_rollups (
	width bigint NOT NULL,
	bucket bigint NOT NULL,
	pipeline TEXT NOT NULL,
	model TEXT NOT NULL,
	orchestrator TEXT NOT NULL,
	region TEXT NOT NULL,
	tests bigint NOT NULL,
	success_rate_e9 bigint NOT NULL,
	round_trip_ns bigint NOT NULL,
	PRIMARY KEY (width, bucket, pipeline, model, orchestrator, region)
);

-- ai_medians counts, per bucket, pipeline, model and region, the tests the
-- median counts in each rtt_bin: the histogram that finds the bin holding
-- the median without reading the other bins' records.
CREATE TABLE ai_medians (
	width bigint NOT NULL,
	bucket bigint NOT NULL,
	pipeline TEXT NOT NULL,
	model TEXT NOT NULL,
	region TEXT NOT NULL,
	rtt_bin bigint NOT NULL,
	tests bigint NOT NULL,
	PRIMARY KEY (width, bucket, pipeline, model, region, rtt_bin)
);
