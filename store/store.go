// Package store opens podium's database, SQLite or PostgreSQL, from a DSN.
package store

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/sqlite"
)

// Backend names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open database, SQLite or PostgreSQL. It hands out roles, never
// its backend: it is the stats store itself, and Programs and Locker give
// the program store and the lock of the same database.
type DB struct {
	podium.StatsStore
	name string // SQLite or Postgres
	be   backend
}

// backend is what each of sqlite.DB and postgres.DB is.
type backend interface {
	podium.StatsStore
	podium.AIStore
	podium.ProgramStore
	podium.CapacityStore
	podium.Locker
	GroupCommits() (groups, records uint64)
	StartPacker(now func() time.Time)
	ImportStats(ctx context.Context, recs []podium.Stats) (int, error)
	Fold(ctx context.Context) (int, error)
	Pack(ctx context.Context, horizon int64) error
}

var (
	_ backend = (*sqlite.DB)(nil)
	_ backend = (*postgres.DB)(nil)
)

// Backend names the database's backend: SQLite or Postgres.
func (db *DB) Backend() string { return db.name }

// Programs returns the store of published program versions and frozen
// snapshots.
func (db *DB) Programs() podium.ProgramStore { return db.be }

// Locker returns the database's lock, which scheduled jobs take so that one
// replica runs each.
func (db *DB) Locker() podium.Locker { return db.be }

// GroupCommits returns the backend's group-commit counts (see
// sqlite.DB.GroupCommits).
func (db *DB) GroupCommits() (groups, records uint64) { return db.be.GroupCommits() }

// StartPacker starts the store's upkeep in the background, folding appended
// records into their rollups and packing sealed cells, with the clock now,
// for the process that owns it (serve, the demo); Close stops it. Other
// commands leave it off; import folds and packs in the foreground.
func (db *DB) StartPacker(now func() time.Time) { db.be.StartPacker(now) }

// ImportStats appends a large batch of records by the backend's bulk path
// (PostgreSQL COPY, one SQLite transaction) and returns how many were new;
// Fold then adds them to the rollups. For imports, not live posts.
func (db *DB) ImportStats(ctx context.Context, recs []podium.Stats) (int, error) {
	if n, ok, err := db.importAI(ctx, recs); ok { // AI records are stored apart (ai.go)
		return n, err
	}
	return db.be.ImportStats(ctx, recs)
}

// Fold adds up to rollup.FoldBatch records appended since the last fold to
// their rollups (store/rollup/fold.go) and returns how many; 0 when none is
// left. The upkeep (StartPacker) does it in the background.
func (db *DB) Fold(ctx context.Context) (int, error) { return db.be.Fold(ctx) }

// Pack seals the rollup cells that end at or before horizon (unix seconds);
// the upkeep does it in the background.
func (db *DB) Pack(ctx context.Context, horizon int64) error { return db.be.Pack(ctx, horizon) }

// Target is a parsed DSN: which backend and where.
type Target struct {
	Backend string
	// Path is the SQLite file, or the PostgreSQL connection string.
	Path string
}

// ParseDSN chooses the backend for dsn (docs/design.md §5.10): "" is ./podium.db, a
// path or sqlite:PATH is SQLite, postgres://… or postgresql://… is
// PostgreSQL. Other URL schemes are refused.
func ParseDSN(dsn string) (Target, error) {
	switch {
	case dsn == "":
		return Target{SQLite, sqlite.DefaultPath}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return Target{Postgres, dsn}, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if path == "" {
			return Target{}, invalidDSN(dsn, "sqlite: needs a file path")
		}
		return Target{SQLite, path}, nil
	}
	if i := strings.Index(dsn, "://"); i > 0 && !strings.ContainsAny(dsn[:i], `/\.`) {
		return Target{}, invalidDSN(dsn, fmt.Sprintf("unknown database scheme %q", dsn[:i]))
	}
	return Target{SQLite, dsn}, nil
}

func invalidDSN(dsn, msg string) error {
	return (&podium.Error{Code: podium.EINVALID, Field: "db", Message: msg}).WithHint(
		"use a file path (or sqlite:PATH) for SQLite, or postgres://USER:PASSWORD@HOST:5432/DB?sslmode=disable for PostgreSQL")
}

// Open opens the database dsn names and applies pending migrations.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*DB, error) {
	t, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	switch t.Backend {
	case Postgres:
		db, err := postgres.Open(ctx, t.Path, logger)
		if err != nil {
			return nil, err
		}
		return &DB{StatsStore: db, name: Postgres, be: db}, nil
	default:
		db, err := sqlite.Open(ctx, t.Path, logger)
		if err != nil {
			return nil, err
		}
		return &DB{StatsStore: db, name: SQLite, be: db}, nil
	}
}
