-- Capacity tests (podium.Capacity, issue 19): one row a test, its record
-- as posted (JSON) in body, the columns queries select on beside it.
CREATE TABLE capacity (
	test_id      TEXT PRIMARY KEY,
	orchestrator TEXT NOT NULL,
	region       TEXT NOT NULL,
	timestamp    INTEGER NOT NULL,
	body         TEXT NOT NULL
);
CREATE INDEX capacity_orchestrator_time ON capacity (orchestrator, timestamp);
CREATE INDEX capacity_time ON capacity (timestamp);
