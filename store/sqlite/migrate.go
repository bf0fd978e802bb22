package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/podiumhq/podium/store/rollup"
)

// migrations holds the schema (rollup.Migrate).
//
//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the migration files, for tools that inspect them.
func Migrations() fs.FS { return rollup.MigrationFiles(migrations) }

// migrate applies the migrations of fsys not yet applied (rollup.Migrate).
// Processes opening the same file at once are serialized by the write lock
// and skip what another has applied.
func (db *DB) migrate(ctx context.Context, fsys fs.FS) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return rollup.Migrate(ctx, fsys, func(ctx context.Context, f func(rollup.MigrationTx) error) error {
		return db.Write(ctx, func(tx *sql.Tx) error { return f(migrationTx{tx, db.Now}) })
	}, func(name string) { db.logger.Info("migrated", "db", db.path, "migration", name) })
}

// migrationTx is a migration's write transaction.
type migrationTx struct {
	tx  *sql.Tx
	now func() time.Time
}

func (m migrationTx) Applied(ctx context.Context, name string) (bool, error) {
	var n int
	err := m.tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE name = ?", name).Scan(&n)
	return n > 0, err
}

func (m migrationTx) Apply(ctx context.Context, name, body string) error {
	if _, err := m.tx.ExecContext(ctx, body); err != nil {
		return err
	}
	_, err := m.tx.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", name, m.now().Unix())
	return err
}
