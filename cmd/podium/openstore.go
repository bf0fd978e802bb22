package main

import (
	"context"
	"log/slog"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/sqlite"
)

// openStore opens the stats store named by dsn: a SQLite path or
// sqlite:PATH. It stands in for store.Open (owned by the store branch, which
// adds PostgreSQL) until that lands; then this file goes.
func openStore(ctx context.Context, dsn string, logger *slog.Logger) (podium.StatsStore, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil, podium.FieldError("--db", "PostgreSQL is not available in this build yet").WithHint("use a SQLite path")
	}
	return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite:"), logger)
}
