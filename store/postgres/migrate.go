package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium/store/rollup"
)

// migrations holds the schema (rollup.Migrate).
//
//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the migration files, for tools that inspect them.
func Migrations() fs.FS { return rollup.MigrationFiles(migrations) }

// migrateLock is the advisory lock key held while migrating ("podium").
const migrateLock = 0x706f6469756d

// migrate applies the migrations of fsys not yet applied (rollup.Migrate).
// Replicas starting together take turns under an advisory lock; the later
// ones find nothing to do.
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
	return rollup.Migrate(ctx, fsys, func(ctx context.Context, f func(rollup.MigrationTx) error) error {
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return f(migrationTx{tx, db.Now}) })
	}, func(name string) { db.logger.Info("migrated", "db", db.where, "migration", name) })
}

// migrationTx is a migration's transaction.
type migrationTx struct {
	tx  pgx.Tx
	now func() time.Time
}

func (m migrationTx) Applied(ctx context.Context, name string) (bool, error) {
	var n int
	err := m.tx.QueryRow(ctx, "SELECT count(*) FROM schema_migrations WHERE name = $1", name).Scan(&n)
	return n > 0, err
}

func (m migrationTx) Apply(ctx context.Context, name, body string) error {
	if _, err := m.tx.Exec(ctx, body); err != nil {
		return err
	}
	_, err := m.tx.Exec(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", name, m.now())
	return err
}
