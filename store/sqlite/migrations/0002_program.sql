-- Published versions of program files and the snapshots taken for rounds
-- (design §7, §8). Both are append-only: a version or a snapshot, once
-- stored, never changes.
CREATE TABLE program_versions (
	program      TEXT    NOT NULL,
	version      INTEGER NOT NULL,
	hash         TEXT    NOT NULL,
	published_at INTEGER NOT NULL, -- unix microseconds
	body         BLOB    NOT NULL,
	PRIMARY KEY (program, version)
);

CREATE TABLE round_snapshots (
	program  TEXT    NOT NULL,
	round    INTEGER NOT NULL,
	id       TEXT    NOT NULL,
	taken_at INTEGER NOT NULL, -- unix microseconds
	body     BLOB    NOT NULL,
	PRIMARY KEY (program, round)
);
