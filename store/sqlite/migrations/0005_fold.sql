-- Records are folded into their rollups in batches after they are stored
-- (store/rollup/fold.go). fold_state.seq is the fold mark: every record
-- with id <= seq is in its rollups and packs, none after it is. Records
-- stored before this migration were added to their rollups as they came.
CREATE TABLE fold_state (seq INTEGER NOT NULL);
INSERT INTO fold_state (seq) SELECT coalesce(max(id), 0) FROM stats;
