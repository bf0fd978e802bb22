package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/podiumhq/podium"
)

var _ podium.ProgramStore = (*DB)(nil)

// programTables is the SQLite statements of the program store
// (rollup.Programs). Times are stored as unix microseconds.
type programTables struct{ db *DB }

func (t programTables) InsertVersion(ctx context.Context, v podium.ProgramVersion, check func(latest int) error) error {
	// The one write transaction at a time makes publishers take turns.
	return t.db.Write(ctx, func(tx *sql.Tx) error {
		var latest int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM program_versions WHERE program = ?`, v.Program).Scan(&latest); err != nil {
			return unavailable("latest program version", err)
		}
		if err := check(latest); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO program_versions (program, version, hash, published_at, body) VALUES (?, ?, ?, ?, ?)`,
			v.Program, v.Version, v.Hash, v.PublishedAt.UnixMicro(), v.Text)
		return unavailable("insert program version", err)
	})
}

func (t programTables) Versions(ctx context.Context, program string) ([]podium.ProgramVersion, error) {
	rows, err := t.db.db.QueryContext(ctx, `SELECT version, hash, published_at, body FROM program_versions WHERE program = ? ORDER BY version`, program)
	if err != nil {
		return nil, unavailable("program versions", err)
	}
	defer rows.Close()
	var out []podium.ProgramVersion
	for rows.Next() {
		v := podium.ProgramVersion{Program: program}
		var at int64
		if err := rows.Scan(&v.Version, &v.Hash, &at, &v.Text); err != nil {
			return nil, unavailable("program versions", err)
		}
		v.PublishedAt = time.UnixMicro(at).UTC()
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("program versions", err)
	}
	return out, nil
}

func (t programTables) InsertSnapshot(ctx context.Context, s podium.StoredSnapshot) (saved bool, err error) {
	err = t.db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO round_snapshots (program, round, id, taken_at, body) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (program, round) DO NOTHING`, s.Program, s.Round, s.ID, s.TakenAt.UnixMicro(), s.Body)
		if err != nil {
			return unavailable("insert snapshot", err)
		}
		n, err := res.RowsAffected()
		saved = n == 1
		return unavailable("insert snapshot", err)
	})
	return saved, err
}

func (t programTables) Snapshot(ctx context.Context, program string, round int) (podium.StoredSnapshot, bool, error) {
	s := podium.StoredSnapshot{Program: program, Round: round}
	var at int64
	err := t.db.db.QueryRowContext(ctx, `SELECT id, taken_at, body FROM round_snapshots WHERE program = ? AND round = ?`, program, round).
		Scan(&s.ID, &at, &s.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, unavailable("snapshot", err)
	}
	s.TakenAt = time.UnixMicro(at).UTC()
	return s, true, nil
}
