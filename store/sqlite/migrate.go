package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
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

// migrate applies every migration not yet recorded in schema_migrations,
// each in its own transaction with its record, so a crash leaves the schema
// at a migration boundary. Processes opening the same file at once are
// serialized by the write lock and skip what another has applied.
func (db *DB) migrate(ctx context.Context, fsys fs.FS) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		err = db.Write(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE name = ?", name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
				name, db.Now().Unix()); err != nil {
				return err
			}
			db.logger.Info("migrated", "db", db.path, "migration", name)
			return nil
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}
