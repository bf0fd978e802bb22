-- Published versions of program files and the snapshots taken for rounds
-- (design §7, §8). Both are append-only: a version or a snapshot, once
-- stored, never changes.
CREATE TABLE program_versions (
	program      text        NOT NULL,
	version      integer     NOT NULL,
	hash         text        NOT NULL,
	published_at timestamptz NOT NULL,
	body         bytea       NOT NULL,
	PRIMARY KEY (program, version)
);

CREATE TABLE round_snapshots (
	program  text        NOT NULL,
	round    integer     NOT NULL,
	id       text        NOT NULL,
	taken_at timestamptz NOT NULL,
	body     bytea       NOT NULL,
	PRIMARY KEY (program, round)
);
