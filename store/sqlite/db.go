// Package sqlite stores podium's data in a SQLite file (pure Go, no cgo).
//
// The file is in WAL mode with synchronous=FULL: a write that returned has
// been fsynced and survives kill -9 and power loss. Writers in one process
// are serialized by a mutex (SQLite has one writer at a time anyway), so they
// queue instead of spinning on SQLITE_BUSY; other processes wait up to the
// busy timeout. Readers never block writers.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// DefaultPath is the database file used when none is given.
const DefaultPath = "./podium.db"

// BusyTimeout is how long a write waits for another process's write.
const BusyTimeout = 10 * time.Second

// DB is an open SQLite database. Other packages' stores extend it with
// methods in their own files; they reach the database through SQL and Write.
type DB struct {
	db     *sql.DB
	path   string
	logger *slog.Logger

	// Now is the clock stamping received_at; tests may replace it.
	Now func() time.Time

	wmu    sync.Mutex // serializes write transactions in this process
	wconn  *sql.Conn  // the connection every write uses (guarded by wmu)
	series seriesCache

	queue rollup.Queue // AddStats calls waiting for the next group commit

	backlog rollup.Backlog // records appended since the last fold

	// Programs is the program store: published program versions and
	// frozen snapshots (program.go).
	rollup.Programs

	packer sync.Mutex
	stop   func() // stops the upkeep (rollup.StartUpkeep) and waits for it; nil: none runs
}

var _ podium.StatsStore = (*DB)(nil)

// Open opens (creating if needed) the database file at path and applies
// pending migrations. An empty path means DefaultPath.
func Open(ctx context.Context, path string, logger *slog.Logger) (*DB, error) {
	if path == "" {
		path = DefaultPath
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, (&podium.Error{Code: podium.EINVALID, Field: "db",
				Message: fmt.Sprintf("cannot create SQLite database %s: directory %s does not exist", path, dir)}).
				WithHint("create the directory first, or pass --db with a path in an existing directory")
		}
	}
	sdb, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(4)
	sdb.SetMaxIdleConns(4)
	sdb.SetConnMaxIdleTime(0)
	db := &DB{db: sdb, path: path, logger: logger, Now: time.Now}
	db.Programs = rollup.NewPrograms(programTables{db})
	db.series.ids = make(map[seriesKey]int64)
	if err := db.Ping(ctx); err != nil {
		sdb.Close()
		return nil, (&podium.Error{Code: podium.EUNAVAILABLE,
			Message: fmt.Sprintf("cannot open SQLite database %s", path), Err: err}).
			WithHint("check that the file is a podium database and that this user may read and write it and its directory")
	}
	if err := db.migrate(ctx, Migrations()); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return db, nil
}

// StartPacker starts the store's upkeep in the background
// (rollup.StartUpkeep): folding appended records into their rollups and
// packing sealed cells, with the clock now, for the process that owns it;
// Close stops it. Starting it twice is a no-op.
func (db *DB) StartPacker(now func() time.Time) {
	db.packer.Lock()
	defer db.packer.Unlock()
	if db.stop == nil {
		db.stop = rollup.StartUpkeep(db.logger, now, db.backlog.Kick(), db.Fold, db.Pack)
	}
}

// dsn returns the driver's data source name for path: a file: URI with the
// pragmas every connection must have. BEGIN IMMEDIATE takes the write lock
// up front, so a transaction never fails half-way on a lock upgrade.
func dsn(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + esc +
		"?_pragma=busy_timeout(" + fmt.Sprint(BusyTimeout.Milliseconds()) + ")" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(ON)" +
		"&_pragma=cache_size(-32768)" + // KiB: 32 MiB per connection
		"&_pragma=temp_store(MEMORY)" +
		"&_txlock=immediate"
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// SQL returns the underlying pool, for reads by stores built on DB.
func (db *DB) SQL() *sql.DB { return db.db }

// Write runs fn in a write transaction, serialized with this process's other
// writes, and commits when fn returns nil. The commit is durable on return.
func (db *DB) Write(ctx context.Context, fn func(*sql.Tx) error) error {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// begin starts a write transaction on the write connection; the caller
// holds wmu. Writes keep to one connection: SQLite drops a connection's page
// cache whenever another connection has written, so writes spread over the
// pool would each read their pages again.
func (db *DB) begin(ctx context.Context) (*sql.Tx, error) {
	for try := 0; ; try++ {
		if db.wconn == nil {
			c, err := db.db.Conn(ctx)
			if err != nil {
				return nil, fmt.Errorf("begin: %w", err)
			}
			db.wconn = c
		}
		tx, err := db.wconn.BeginTx(ctx, nil)
		if err == nil {
			return tx, nil
		}
		// A broken connection is replaced once; a busy database is not.
		if try > 0 || !errors.Is(err, driver.ErrBadConn) && !errors.Is(err, sql.ErrConnDone) {
			return nil, fmt.Errorf("begin: %w", err)
		}
		db.wconn.Close()
		db.wconn = nil
	}
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping sqlite: %w", err)
	}
	return nil
}

// Close stops the packer, if it runs, and closes the database.
func (db *DB) Close() error {
	db.packer.Lock()
	if db.stop != nil {
		db.stop()
		db.stop = nil
	}
	db.packer.Unlock()
	db.wmu.Lock()
	if db.wconn != nil {
		db.wconn.Close()
		db.wconn = nil
	}
	db.wmu.Unlock()
	if err := db.db.Close(); err != nil {
		return fmt.Errorf("close sqlite %s: %w", db.path, err)
	}
	return nil
}

// unavailable wraps a failure of the database itself (I/O, locks) so that
// callers can tell it from bad input.
func unavailable(op string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &podium.Error{Code: podium.EUNAVAILABLE, Message: op, Err: err}
}
