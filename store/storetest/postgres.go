package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresDSN returns the server PostgreSQL tests use,
// $PODIUM_TEST_POSTGRES_DSN. Without it the test is skipped, except in CI
// (CI=true), where it fails: CI always tests PostgreSQL.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("PODIUM_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("PODIUM_TEST_POSTGRES_DSN is not set; CI must test PostgreSQL")
		}
		t.Skip("PODIUM_TEST_POSTGRES_DSN is not set")
	}
	return dsn
}

// FreshSchema creates an empty schema, dropped when the test ends, and
// returns dsn with its search_path set to it, so that tests running at once
// against one database do not see each other's tables.
func FreshSchema(t testing.TB, dsn string) string {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "podium_test_" + hex.EncodeToString(b)
	exec := func(sql string) error {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}
