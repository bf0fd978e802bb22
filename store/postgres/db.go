// Package postgres stores podium's data in PostgreSQL (pgx v5). Several
// podium replicas may share one database: migrations run under an advisory
// lock and concurrent writers take row locks in a fixed order.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// ConnectTimeout bounds the first connection made by Open.
const ConnectTimeout = 10 * time.Second

// groupWriters is how many group commits may be in flight at once. With two,
// one transaction's round trips and commit overlap the other's work, which
// keeps both the server and podium busy; their row locks are taken in key
// and cell order, so they cannot deadlock.
const groupWriters = 2

// DB is an open PostgreSQL database. Other packages' stores extend it with
// methods in their own files; they reach the database through Pool.
type DB struct {
	pool   *pgxpool.Pool
	where  string // host:port/database, for messages (never the password)
	logger *slog.Logger

	// Now is the clock stamping received_at; tests may replace it.
	Now func() time.Time

	series seriesCache

	writers semaphore    // admits the callers writing group commits
	queue   rollup.Queue // AddStats calls waiting for the next group commit

	backlog rollup.Backlog // records appended since the last fold

	// Programs is the program store: published program versions and
	// frozen snapshots (program.go).
	rollup.Programs

	packer sync.Mutex
	stop   func() // stops the upkeep (rollup.StartUpkeep) and waits for it; nil: none runs
}

var _ podium.StatsStore = (*DB)(nil)

// Open connects to the database dsn names (postgres://…; a search_path
// parameter selects a schema) and applies pending migrations.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, (&podium.Error{Code: podium.EINVALID, Field: "db",
			Message: "bad PostgreSQL DSN", Err: errors.Unwrap(err)}).
			WithHint("write it as postgres://USER:PASSWORD@HOST:5432/DATABASE?sslmode=disable")
	}
	cfg.ConnConfig.ConnectTimeout = ConnectTimeout
	where := fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %w", where, err)
	}
	db := &DB{pool: pool, where: where, logger: logger, Now: time.Now}
	db.Programs = rollup.NewPrograms(programTables{db})
	db.writers = make(semaphore, groupWriters)
	if err := db.Ping(ctx); err != nil {
		pool.Close()
		return nil, (&podium.Error{Code: podium.EUNAVAILABLE,
			Message: fmt.Sprintf("cannot reach PostgreSQL at %s as %s", where, cfg.ConnConfig.User), Err: err}).
			WithHint("check that PostgreSQL is running there, that the database exists and that the DSN's user and password are right")
	}
	if err := db.migrate(ctx, Migrations()); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate %s: %w", where, err)
	}
	return db, nil
}

// StartPacker starts the store's upkeep in the background
// (rollup.StartUpkeep): folding appended records into their rollups and
// packing sealed cells, with the clock now, for the process that owns it;
// Close stops it. Starting it twice is a no-op. Several processes may run
// it on one database: folds and packs lock what they change.
func (db *DB) StartPacker(now func() time.Time) {
	db.packer.Lock()
	defer db.packer.Unlock()
	if db.stop == nil {
		db.stop = rollup.StartUpkeep(db.logger, now, db.backlog.Kick(), db.Fold, db.Pack)
	}
}

// Pool returns the connection pool, for stores built on DB.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return unavailable("ping postgres", err)
	}
	return nil
}

// Close stops the packer, if it runs, and closes every connection.
func (db *DB) Close() error {
	db.packer.Lock()
	if db.stop != nil {
		db.stop()
		db.stop = nil
	}
	db.packer.Unlock()
	db.pool.Close()
	return nil
}

// unavailable wraps a failure of the server or the connection so callers can
// tell it from bad input; errors the server reports about a statement stay
// internal.
func unavailable(op string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return &podium.Error{Code: podium.EUNAVAILABLE, Message: op, Err: err}
}
