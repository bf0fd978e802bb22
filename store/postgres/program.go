package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium"
)

var _ podium.ProgramStore = (*DB)(nil)

// PublishProgram stores v as version v.Version of v.Program; ECONFLICT when
// that version exists or is not the next one.
func (db *DB) PublishProgram(ctx context.Context, v podium.ProgramVersion) (podium.ProgramVersion, error) {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// Publishers of one program take turns, so "latest + 1" holds.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('podium.program.' || $1))`, v.Program); err != nil {
			return unavailable("lock program", err)
		}
		var latest int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM program_versions WHERE program = $1`, v.Program).Scan(&latest); err != nil {
			return unavailable("latest program version", err)
		}
		if v.Version != latest+1 {
			return podium.Errorf(podium.ECONFLICT, "program %s is at version %d; version %d cannot be published", v.Program, latest, v.Version).
				WithHint("another publish came first; check `podium program show` and publish again")
		}
		_, err := tx.Exec(ctx, `INSERT INTO program_versions (program, version, hash, published_at, body) VALUES ($1, $2, $3, $4, $5)`,
			v.Program, v.Version, v.Hash, v.PublishedAt, v.Text)
		return unavailable("insert program version", err)
	})
	if err != nil {
		return podium.ProgramVersion{}, fmt.Errorf("publish %s: %w", v.Program, err)
	}
	return v, nil
}

// ProgramVersions returns every published version of program, oldest first.
func (db *DB) ProgramVersions(ctx context.Context, program string) ([]podium.ProgramVersion, error) {
	rows, err := db.pool.Query(ctx, `SELECT version, hash, published_at, body FROM program_versions WHERE program = $1 ORDER BY version`, program)
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
	if len(out) == 0 {
		return nil, podium.Errorf(podium.ENOTFOUND, "program %s was never published", program).
			WithHint("publish it with `podium program publish --program FILE --db DSN`")
	}
	return out, nil
}

// SaveSnapshot stores a round's snapshot once; the same id again is a
// no-op and a different one is ECONFLICT.
func (db *DB) SaveSnapshot(ctx context.Context, s podium.StoredSnapshot) error {
	tag, err := db.pool.Exec(ctx, `INSERT INTO round_snapshots (program, round, id, taken_at, body) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (program, round) DO NOTHING`, s.Program, s.Round, s.ID, s.TakenAt, s.Body)
	if err != nil {
		return unavailable("insert snapshot", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	stored, err := db.Snapshot(ctx, s.Program, s.Round)
	if err != nil {
		return err
	}
	if stored.ID == s.ID {
		return nil
	}
	return podium.Errorf(podium.ECONFLICT, "%s round %d already has snapshot %s; a snapshot is frozen once stored", s.Program, s.Round, stored.ID)
}

// Snapshot returns a round's stored snapshot.
func (db *DB) Snapshot(ctx context.Context, program string, round int) (podium.StoredSnapshot, error) {
	s := podium.StoredSnapshot{Program: program, Round: round}
	err := db.pool.QueryRow(ctx, `SELECT id, taken_at, body FROM round_snapshots WHERE program = $1 AND round = $2`, program, round).
		Scan(&s.ID, &s.TakenAt, &s.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, podium.Errorf(podium.ENOTFOUND, "no snapshot of %s round %d is stored", program, round).
			WithHint("take it with `podium snapshot --program FILE --round N --db DSN`")
	}
	if err != nil {
		return s, unavailable("snapshot", err)
	}
	s.TakenAt = s.TakenAt.UTC()
	return s, nil
}
