package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/jackc/pgx/v5"
)

// migrations holds the schema, one file per change, applied in file-name
// order. A file, once released, never changes: add a new one instead.
//
//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the migration files, for tools that inspect them.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}

// migrateLock is the advisory lock key held while migrating ("podium").
const migrateLock = 0x706f6469756d

// migrate applies every migration not yet recorded in schema_migrations,
// each in its own transaction with its record. Replicas starting together
// take turns under an advisory lock; the later ones find nothing to do.
func (db *DB) migrate(ctx context.Context, fsys fs.FS) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return unavailable("acquire connection", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name text PRIMARY KEY, applied_at timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, name := range files {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var n int
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM schema_migrations WHERE name = $1", name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", name, db.Now()); err != nil {
				return err
			}
			db.logger.Info("migrated", "db", db.where, "migration", name)
			return nil
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}
