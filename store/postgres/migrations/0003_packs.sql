-- Sealed rollup cells, packed (see store/postgres/packs.go).
--
-- A rollup cell (width, bucket, series) is sealed once its bucket has ended
-- before the horizon: bucket + width <= horizon. rollup_packs holds the
-- sealed cells' sums again, packed by block of series (block = series / 16):
-- each entry is twelve values, the series then its rollups sums (tests,
-- then the summed columns in store/rollup.SumColumns order), in the compact
-- layout of packs.go (a 6-byte header of lengths, then little-endian bytes). A series may have several entries in one row (records stored late
-- are appended); readers add them up; entry_count counts them, so that a
-- row grown past a block's worth is packed again. A window query reads
-- about sixteen times fewer rows, and a third of the bytes, than from
-- rollups.
--
-- rollups stays the truth: packs are built from it, and every late record
-- updates both in one transaction.
CREATE TABLE rollup_packs (
	width       bigint  NOT NULL,
	bucket      bigint  NOT NULL,
	block       bigint  NOT NULL,
	entry_count integer NOT NULL,
	entries     bytea   NOT NULL,
	PRIMARY KEY (width, bucket, block)
);

-- rollup_horizon has one row: every cell with bucket + width <= horizon is
-- in rollup_packs. Writers hold it FOR SHARE while they write; the packer
-- holds it FOR UPDATE while it seals cells and moves it forward.
CREATE TABLE rollup_horizon (
	one     boolean PRIMARY KEY DEFAULT true CHECK (one),
	horizon bigint  NOT NULL
);
INSERT INTO rollup_horizon (horizon) VALUES (0);
