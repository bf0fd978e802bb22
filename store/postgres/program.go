package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium"
)

var _ podium.ProgramStore = (*DB)(nil)

// programTables is the PostgreSQL statements of the program store
// (rollup.Programs).
type programTables struct{ db *DB }

func (t programTables) InsertVersion(ctx context.Context, v podium.ProgramVersion, check func(latest int) error) error {
	return pgx.BeginFunc(ctx, t.db.pool, func(tx pgx.Tx) error {
		// Publishers of one program take turns, so "latest + 1" holds.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('podium.program.' || $1))`, v.Program); err != nil {
			return unavailable("lock program", err)
		}
		var latest int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM program_versions WHERE program = $1`, v.Program).Scan(&latest); err != nil {
			return unavailable("latest program version", err)
		}
		if err := check(latest); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO program_versions (program, version, hash, published_at, body) VALUES ($1, $2, $3, $4, $5)`,
			v.Program, v.Version, v.Hash, v.PublishedAt, v.Text)
		return unavailable("insert program version", err)
	})
}

func (t programTables) Versions(ctx context.Context, program string) ([]podium.ProgramVersion, error) {
	rows, err := t.db.pool.Query(ctx, `SELECT version, hash, published_at, body FROM program_versions WHERE program = $1 ORDER BY version`, program)
	if err != nil {
		return nil, unavailable("program versions", err)
	}
	defer rows.Close()
	var out []podium.ProgramVersion
	for rows.Next() {
		v := podium.ProgramVersion{Program: program}
		if err := rows.Scan(&v.Version, &v.Hash, &v.PublishedAt, &v.Text); err != nil {
			return nil, unavailable("program versions", err)
		}
		v.PublishedAt = v.PublishedAt.UTC()
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("program versions", err)
	}
	return out, nil
}

func (t programTables) InsertSnapshot(ctx context.Context, s podium.StoredSnapshot) (bool, error) {
	tag, err := t.db.pool.Exec(ctx, `INSERT INTO round_snapshots (program, round, id, taken_at, body) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (program, round) DO NOTHING`, s.Program, s.Round, s.ID, s.TakenAt, s.Body)
	if err != nil {
		return false, unavailable("insert snapshot", err)
	}
	return tag.RowsAffected() == 1, nil
}

func (t programTables) Snapshot(ctx context.Context, program string, round int) (podium.StoredSnapshot, bool, error) {
	s := podium.StoredSnapshot{Program: program, Round: round}
	err := t.db.pool.QueryRow(ctx, `SELECT id, taken_at, body FROM round_snapshots WHERE program = $1 AND round = $2`, program, round).
		Scan(&s.ID, &s.TakenAt, &s.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, unavailable("snapshot", err)
	}
	s.TakenAt = s.TakenAt.UTC()
	return s, true, nil
}
