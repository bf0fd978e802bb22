package sqlite

import (
	"database/sql"

	"context"
	"github.com/podiumhq/podium/store/storetest"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestDB_Migrate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "podium.db")
	db, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// A later release adds a migration: it is applied to the existing
	// database, once, and the earlier ones are not re-run.
	later := fstest.MapFS{"0002_later.sql": {Data: []byte(
		"CREATE TABLE later (x INTEGER); INSERT INTO later VALUES (1);")}}
	first, err := fs.ReadFile(Migrations(), "0001_stats.sql")
	if err != nil {
		t.Fatal(err)
	}
	later["0001_stats.sql"] = &fstest.MapFile{Data: first}
	for i := 0; i < 2; i++ {
		if err := db.migrate(ctx, later); err != nil {
			t.Fatalf("migrate (run %d): %v", i+1, err)
		}
	}
	var rows, applied int
	if err := db.db.QueryRowContext(ctx, "SELECT count(*) FROM later").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if err := db.db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&applied); err != nil {
		t.Fatal(err)
	}
	shipped, _ := fs.Glob(Migrations(), "*.sql")
	if rows != 1 || applied != len(shipped)+1 {
		t.Fatalf("later has %d rows, %d migrations recorded; want 1 and %d", rows, applied, len(shipped)+1)
	}

	t.Run("ErrRollsBack", func(t *testing.T) {
		bad := fstest.MapFS{"0003_bad.sql": {Data: []byte("CREATE TABLE half (x INTEGER); SELECT * FROM missing;")}}
		if err := db.migrate(ctx, bad); err == nil {
			t.Fatal("a failing migration succeeded")
		}
		var n int
		db.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'half'").Scan(&n)
		if n != 0 {
			t.Fatal("a failed migration left its first statement applied")
		}
	})
}

// TestDB_MigrateCost upgrades a database made before the cost columns.
func TestDB_MigrateCost(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CostMigration(t, db, func() error {
		return db.Write(ctx, func(tx *sql.Tx) error {
			for _, stmt := range []string{
				"ALTER TABLE stats DROP COLUMN cost_tickets",
				"ALTER TABLE stats DROP COLUMN cost_face_value",
				"ALTER TABLE stats DROP COLUMN cost_ev",
				"DELETE FROM schema_migrations WHERE name = '0004_cost.sql'",
			} {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return err
				}
			}
			return nil
		})
	}, func() error { return db.migrate(ctx, Migrations()) })
}

// TestDB_MigrateAI upgrades a database made before the AI tables.
func TestDB_MigrateAI(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.AIMigration(t, db, func() error {
		return db.Write(ctx, func(tx *sql.Tx) error {
			for _, stmt := range []string{
				"DROP TABLE ai_stats", "DROP TABLE ai_rollups", "DROP TABLE ai_medians",
				"DELETE FROM schema_migrations WHERE name = '0006_ai.sql'",
			} {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return err
				}
			}
			return nil
		})
	}, func() error { return db.migrate(ctx, Migrations()) })
}
