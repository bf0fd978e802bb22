-- Test results, and their rollups per orchestrator × region × time bucket.

-- series numbers each orchestrator × region pair, so that rollup rows are
-- small and group by one integer.
CREATE TABLE series (
	id           INTEGER PRIMARY KEY,
	orchestrator TEXT NOT NULL,
	region       TEXT NOT NULL,
	UNIQUE (orchestrator, region)
);

-- stats holds every record as received. record_key is podium.Stats.Key():
-- the test ID or a content hash; it makes ingest idempotent. The *_us and
-- *_e9 columns are the record's fixed-point values (podium.Stats.Aggregate),
-- the only ones ever summed.
CREATE TABLE stats (
	id                    INTEGER PRIMARY KEY,
	record_key            TEXT    NOT NULL UNIQUE,
	series                INTEGER NOT NULL REFERENCES series (id),
	ts                    INTEGER NOT NULL,
	test_id               TEXT    NOT NULL,
	segments_sent         INTEGER NOT NULL,
	segments_received     INTEGER NOT NULL,
	success_rate          REAL    NOT NULL,
	seg_duration          REAL    NOT NULL,
	upload_time           REAL    NOT NULL,
	download_time         REAL    NOT NULL,
	transcode_time        REAL    NOT NULL,
	round_trip_time       REAL    NOT NULL,
	errors                TEXT    NOT NULL, -- JSON array (or null)
	verified_renditions   INTEGER NOT NULL,
	verification_failures INTEGER NOT NULL,
	seg_duration_us       INTEGER NOT NULL,
	round_trip_us         INTEGER NOT NULL,
	success_rate_e9       INTEGER NOT NULL,
	upload_us             INTEGER NOT NULL,
	transcode_us          INTEGER NOT NULL,
	download_us           INTEGER NOT NULL,
	received_at           INTEGER NOT NULL -- unix milliseconds
);
CREATE INDEX stats_ts ON stats (ts);
CREATE INDEX stats_series_ts ON stats (series, ts);

-- rollups holds the sums of the records of one series whose ts is in
-- [bucket, bucket + width), for each width of store/rollup.Widths. It is
-- maintained in the transaction that inserts the records. sums packs the
-- eleven integer sums of podium.Aggregate (see sums.go).
CREATE TABLE rollups (
	width  INTEGER NOT NULL,
	bucket INTEGER NOT NULL,
	series INTEGER NOT NULL,
	sums   BLOB    NOT NULL,
	PRIMARY KEY (width, bucket, series)
) WITHOUT ROWID;
