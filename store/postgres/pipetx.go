package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pipeTx is a transaction on one connection that sends its statements in as
// few round trips as it can: BEGIN goes with the first query, statements
// whose results are not needed wait for the next query or for COMMIT. An
// ingest transaction thus takes two round trips instead of four. Round trips
// are what the group commit waits for, and under load each costs far more
// than the server's work for it: the answer waits for the database backend
// and then for the Go scheduler to poll the network.
type pipeTx struct {
	conn  *pgx.Conn
	batch *pgx.Batch // statements for the next round trip
}

// inTx runs fn in a pipeTx and commits it; when fn or the commit fails, the
// transaction is rolled back (or its connection closed) and the error
// returned.
func (db *DB) inTx(ctx context.Context, fn func(tx *pipeTx) error) error {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	tx := &pipeTx{conn: c.Conn(), batch: &pgx.Batch{}}
	tx.batch.Queue("BEGIN")
	err = fn(tx)
	if err == nil {
		tx.batch.Queue("COMMIT").Exec(func(tag pgconn.CommandTag) error {
			if tag.String() != "COMMIT" {
				return fmt.Errorf("commit: the server answered %s", tag)
			}
			return nil
		})
		if err = tx.send(ctx); err != nil {
			err = fmt.Errorf("queued statements and commit: %w", err)
		}
	}
	if err != nil {
		tx.abort(ctx)
	}
	return err
}

// Queue adds a statement to the next round trip; an error it raises is
// returned by the next Query or by the commit.
func (tx *pipeTx) Queue(query string, args ...any) { tx.batch.Queue(query, args...) }

// QueueRow adds a one-row query to the next round trip; scan reads its row
// then.
func (tx *pipeTx) QueueRow(scan func(pgx.Row) error, query string, args ...any) {
	tx.batch.Queue(query, args...).QueryRow(scan)
}

// Query sends the queued statements and query in one round trip and calls
// scan with query's rows.
func (tx *pipeTx) Query(ctx context.Context, scan func(pgx.Rows) error, query string, args ...any) error {
	tx.batch.Queue(query, args...).Query(scan)
	return tx.send(ctx)
}

func (tx *pipeTx) send(ctx context.Context) error {
	b := tx.batch
	tx.batch = &pgx.Batch{}
	return tx.conn.SendBatch(ctx, b).Close()
}

// abort rolls back a failed transaction, so that its connection goes back
// to the pool idle and is kept (the pool would close a connection released
// inside a transaction); one that cannot be rolled back is closed.
func (tx *pipeTx) abort(ctx context.Context) {
	if tx.conn.IsClosed() || tx.conn.PgConn().TxStatus() == 'I' {
		return
	}
	if _, err := tx.conn.Exec(ctx, "ROLLBACK"); err != nil || tx.conn.PgConn().TxStatus() != 'I' {
		tx.conn.Close(ctx)
	}
}
