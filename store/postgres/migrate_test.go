package postgres

import (
	"context"
	"testing"

	"github.com/podiumhq/podium/store/storetest"
)

// TestDB_MigrateCost upgrades a database made before the cost columns.
func TestDB_MigrateCost(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, storetest.FreshSchema(t, storetest.PostgresDSN(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CostMigration(t, db, func() error {
		_, err := db.pool.Exec(ctx, `ALTER TABLE stats DROP COLUMN cost_tickets, DROP COLUMN cost_face_value, DROP COLUMN cost_ev;
			DELETE FROM schema_migrations WHERE name = '0004_cost.sql'`)
		return err
	}, func() error { return db.migrate(ctx, Migrations()) })
}

// TestDB_MigrateAI upgrades a database made before the AI tables.
func TestDB_MigrateAI(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, storetest.FreshSchema(t, storetest.PostgresDSN(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.AIMigration(t, db, func() error {
		_, err := db.pool.Exec(ctx, `DROP TABLE ai_stats, ai_rollups, ai_medians;
			DELETE FROM schema_migrations WHERE name = '0006_ai.sql'`)
		return err
	}, func() error { return db.migrate(ctx, Migrations()) })
}
