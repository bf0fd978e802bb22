-- Capacity tests (podium.Capacity, issue 19): one row a test, its record
-- as posted (JSON) in body, the columns queries select on beside it.
CREATE TABLE capacity (
	test_id      text PRIMARY KEY,
	orchestrator text NOT NULL,
	region       text NOT NULL,
	timestamp    bigint NOT NULL,
	body         text NOT NULL
);
CREATE INDEX capacity_orchestrator_time ON capacity (orchestrator, timestamp);
CREATE INDEX capacity_time ON capacity (timestamp);
