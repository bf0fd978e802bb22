-- Test results, and their rollups per orchestrator × region × time bucket.

-- series numbers each orchestrator × region pair, so that rollup rows are
-- small and group by one integer.
CREATE TABLE series (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	orchestrator text NOT NULL,
	region       text NOT NULL,
	UNIQUE (orchestrator, region)
);

-- stats holds every record as received. record_key is podium.Stats.Key():
-- the test ID or a content hash; it makes ingest idempotent. The *_us and
-- *_e9 columns are the record's fixed-point values (podium.Stats.Aggregate),
-- the only ones ever summed.
CREATE TABLE stats (
	id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	record_key            text             NOT NULL UNIQUE,
	series                bigint           NOT NULL REFERENCES series (id),
	ts                    bigint           NOT NULL,
	test_id               text             NOT NULL,
	segments_sent         bigint           NOT NULL,
	segments_received     bigint           NOT NULL,
	success_rate          double precision NOT NULL,
	seg_duration          double precision NOT NULL,
	upload_time           double precision NOT NULL,
	download_time         double precision NOT NULL,
	transcode_time        double precision NOT NULL,
	round_trip_time       double precision NOT NULL,
	errors                json             NOT NULL,
	verified_renditions   bigint           NOT NULL,
	verification_failures bigint           NOT NULL,
	seg_duration_us       bigint           NOT NULL,
	round_trip_us         bigint           NOT NULL,
	success_rate_e9       bigint           NOT NULL,
	upload_us             bigint           NOT NULL,
	transcode_us          bigint           NOT NULL,
	download_us           bigint           NOT NULL,
	received_at           timestamptz      NOT NULL
);
CREATE INDEX stats_ts ON stats (ts);
CREATE INDEX stats_series_ts ON stats (series, ts);

-- rollups holds the sums of the records of one series whose ts is in
-- [bucket, bucket + width), for each width of store/rollup.Widths. It is
-- maintained in the transaction that inserts the records. The primary key
-- includes the sums, so a window query reads the index only (the buckets it
-- reads are older than the newest and all-visible once vacuumed).
CREATE TABLE rollups (
	width                 bigint NOT NULL,
	bucket                bigint NOT NULL,
	series                bigint NOT NULL,
	tests                 bigint NOT NULL,
	seg_duration_us       bigint NOT NULL,
	round_trip_us         bigint NOT NULL,
	success_rate_e9       bigint NOT NULL,
	upload_us             bigint NOT NULL,
	transcode_us          bigint NOT NULL,
	download_us           bigint NOT NULL,
	segments_sent         bigint NOT NULL,
	segments_received     bigint NOT NULL,
	verified_renditions   bigint NOT NULL,
	verification_failures bigint NOT NULL,
	PRIMARY KEY (width, bucket, series) INCLUDE (tests, seg_duration_us, round_trip_us,
		success_rate_e9, upload_us, transcode_us, download_us, segments_sent,
		segments_received, verified_renditions, verification_failures)
);

-- podium_sum sums bigints into a bigint with int8pl, which raises an error on
-- overflow. Built-in sum(bigint) accumulates into numeric and is several
-- times slower; the rollup query runs eleven sums over thousands of rows.
-- COMBINEFUNC lets a full scan aggregate in parallel workers.
CREATE AGGREGATE podium_sum (bigint) (SFUNC = int8pl, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE);
