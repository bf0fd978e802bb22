package rollup

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
)

// Migrations. Each store embeds its schema as migrations/*.sql, one file
// per change, applied in file-name order and recorded in its
// schema_migrations table. A file, once released, never changes: add a new
// one instead.

// MigrationTx is the transaction one migration runs in, in a store's SQL.
type MigrationTx interface {
	// Applied says whether schema_migrations records migration name.
	Applied(ctx context.Context, name string) (bool, error)

	// Apply runs body, the migration name, and records it as applied.
	Apply(ctx context.Context, name, body string) error
}

// Migrate applies every migration in fsys not yet recorded, each in its own
// transaction with its record (inTx runs one and commits it when f returns
// nil), so that a crash leaves the schema at a migration boundary, and calls
// applied with the name of each one it applied. The store creates
// schema_migrations first, and makes processes that migrate one database
// at once take turns.
func Migrate(ctx context.Context, fsys fs.FS, inTx func(ctx context.Context, f func(MigrationTx) error) error, applied func(name string)) error {
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
		err = inTx(ctx, func(tx MigrationTx) error {
			if done, err := tx.Applied(ctx, name); err != nil || done {
				return err
			}
			if err := tx.Apply(ctx, name, string(body)); err != nil {
				return err
			}
			applied(name)
			return nil
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// MigrationFiles returns the directory migrations of a store's embedded
// files, for Migrate and for tools that inspect them.
func MigrationFiles(embedded fs.FS) fs.FS {
	sub, err := fs.Sub(embedded, "migrations")
	if err != nil {
		panic(err) // the store embeds the directory
	}
	return sub
}
