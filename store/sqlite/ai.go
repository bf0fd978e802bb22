package sqlite

import (
	"context"
	"database/sql"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
	"github.com/podiumhq/podium/store/rollup"
)

// The AI tests (podium.AIStore): stored apart, in ai_stats, with their own
// rollups and median histogram, written in the transaction that stores them
// (store/rollup/ai.go).

var _ podium.AIStore = (*DB)(nil)

// aiChunk is the rows of one AI insert statement: the driver binds
// parameters in quadratic time.
const aiChunk = 16

// sqlConn runs rollup's AI statements on a transaction or the pool.
type sqlConn struct {
	q interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	}
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

func (c sqlConn) Query(ctx context.Context, query string, args ...any) (rollup.AIRows, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (c sqlConn) Exec(ctx context.Context, query string, args ...any) error {
	_, err := c.q.ExecContext(ctx, query, args...)
	return err
}

// addMixed stores the AI records of recs (in their own transaction) and
// then the others through AddStats; ok is false when recs holds no AI
// record, and AddStats goes on as before.
func (db *DB) addMixed(ctx context.Context, recs []podium.Stats) (added int, ok bool, err error) {
	ai, other := rollup.SplitAI(recs)
	if len(ai) == 0 {
		return 0, false, nil
	}
	if added, err = db.addAI(ctx, ai); err != nil || len(other) == 0 {
		return added, true, err
	}
	n, err := db.AddStats(ctx, other)
	return added + n, true, err
}

// addAI stores AI records durably, skipping keys already stored.
func (db *DB) addAI(ctx context.Context, recs []podium.Stats) (added int, err error) {
	rows, err := rollup.PrepareAI(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		added, err = rollup.AddAI(ctx, sqlConn{tx}, dialect, aiChunk, rows, db.Now().UnixMilli())
		return err
	})
	if err != nil {
		return 0, unavailable("add ai stats", err)
	}
	return added, nil
}

func (db *DB) AIAggregates(ctx context.Context, q podium.StatsQuery) ([]podium.AIAggregate, error) {
	out, err := rollup.AIAggregates(ctx, sqlConn{db.db}, dialect, q)
	return out, unavailable("ai aggregates", err)
}

// ScanAIAggregates answers AIAggregates from the raw records (the baseline).
func (db *DB) ScanAIAggregates(ctx context.Context, q podium.StatsQuery) ([]podium.AIAggregate, error) {
	out, err := rollup.ScanAIAggregates(ctx, sqlConn{db.db}, dialect, q)
	return out, unavailable("ai aggregates", err)
}

func (db *DB) AIMedian(ctx context.Context, q podium.StatsQuery) (float64, bool, error) {
	m, ok, err := rollup.AIMedian(ctx, sqlConn{db.db}, dialect, q)
	return m, ok, unavailable("ai median", err)
}

// ScanAIMedian answers AIMedian from every counted record (the baseline).
func (db *DB) ScanAIMedian(ctx context.Context, q podium.StatsQuery) (float64, bool, error) {
	m, ok, err := rollup.ScanAIMedian(ctx, sqlConn{db.db}, dialect, q)
	return m, ok, unavailable("ai median", err)
}

func (db *DB) AIRawStats(ctx context.Context, q podium.StatsQuery) ([]podium.Stats, error) {
	out, err := rollup.AIRawStats(ctx, sqlConn{db.db}, dialect, q)
	return out, unavailable("ai raw stats", err)
}

func (db *DB) Pipelines(ctx context.Context, q podium.StatsQuery) ([]podium.Pipeline, error) {
	out, err := rollup.Pipelines(ctx, sqlConn{db.db}, dialect, q)
	return out, unavailable("pipelines", err)
}

func (db *DB) TopAIScore(ctx context.Context, orchestrator string, since, until int64) (podium.AIScore, bool, error) {
	best, median, medianOK, found, err := rollup.TopAI(ctx, sqlConn{db.db}, dialect, orchestrator, since, until)
	if err != nil || !found {
		return podium.AIScore{}, false, unavailable("top ai score", err)
	}
	return podium.AIScore{
		Region: best.Region, Orchestrator: best.Orchestrator, Model: best.Model, Pipeline: best.Pipeline,
		Value: score.OfAIAggregate(best, median, medianOK).Total,
	}, true, nil
}
