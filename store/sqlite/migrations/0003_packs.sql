-- Sealed rollup cells, packed (see store/sqlite/packs.go and, for the
-- design, store/postgres/packs.go).
--
-- A rollup cell (width, bucket, series) is sealed once its bucket ended
-- before the horizon: bucket + width <= horizon. rollup_packs holds the
-- sealed cells' sums again, 16 series to a row (block = series / 16): each
-- entry is the series (8 bytes, little-endian) then its packed sums (see
-- sums.go), 96 bytes. A series may have several entries in a row (records
-- stored late are appended); readers add them up; entry_count counts them,
-- so that a row grown past a block's worth is packed again. rollups stays
-- the truth: packs are built from it, and a late record updates both in
-- one transaction.
CREATE TABLE rollup_packs (
	width       INTEGER NOT NULL,
	bucket      INTEGER NOT NULL,
	block       INTEGER NOT NULL,
	entry_count INTEGER NOT NULL,
	entries     BLOB    NOT NULL,
	PRIMARY KEY (width, bucket, block)
);

-- rollup_horizon has one row: every cell with bucket + width <= horizon is
-- in rollup_packs. It changes only in write transactions, which SQLite
-- runs one at a time.
CREATE TABLE rollup_horizon (
	one     INTEGER PRIMARY KEY CHECK (one = 1),
	horizon INTEGER NOT NULL
);
INSERT INTO rollup_horizon (one, horizon) VALUES (1, 0);
