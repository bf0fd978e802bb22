package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
	"github.com/podiumhq/podium/store/rollup"
)

// The AI tests (podium.AIStore): stored apart, in ai_stats, with their own
// rollups and median histogram, written in the transaction that stores them
// (store/rollup/ai.go).

var _ podium.AIStore = (*DB)(nil)

// aiChunk is the rows of one AI insert statement (20 parameters a row).
const aiChunk = 500

// pgConn runs rollup's AI statements on a transaction or the pool.
type pgConn struct {
	q interface {
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	}
}

func (c pgConn) Query(ctx context.Context, query string, args ...any) (rollup.AIRows, error) {
	rows, err := c.q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (c pgConn) Exec(ctx context.Context, query string, args ...any) error {
	_, err := c.q.Exec(ctx, query, args...)
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

// addAI stores AI records in one transaction, skipping keys already stored.
func (db *DB) addAI(ctx context.Context, recs []podium.Stats) (added int, err error) {
	rows, err := rollup.PrepareAI(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		added, err = rollup.AddAI(ctx, pgConn{tx}, dialect, aiChunk, rows, db.Now().UnixMilli())
		return err
	})
	if err != nil {
		return 0, unavailable("add ai stats", err)
	}
	return added, nil
}

func (db *DB) AIAggregates(ctx context.Context, q podium.StatsQuery) ([]podium.AIAggregate, error) {
	out, err := rollup.AIAggregates(ctx, pgConn{db.pool}, dialect, q)
	return out, unavailable("ai aggregates", err)
}

// ScanAIAggregates answers AIAggregates from the raw records (the baseline).
func (db *DB) ScanAIAggregates(ctx context.Context, q podium.StatsQuery) ([]podium.AIAggregate, error) {
	out, err := rollup.ScanAIAggregates(ctx, pgConn{db.pool}, dialect, q)
	return out, unavailable("ai aggregates", err)
}

func (db *DB) AIMedian(ctx context.Context, q podium.StatsQuery) (float64, bool, error) {
	m, ok, err := rollup.AIMedian(ctx, pgConn{db.pool}, dialect, q)
	return m, ok, unavailable("ai median", err)
}

// ScanAIMedian answers AIMedian from every counted record (the baseline).
func (db *DB) ScanAIMedian(ctx context.Context, q podium.StatsQuery) (float64, bool, error) {
	m, ok, err := rollup.ScanAIMedian(ctx, pgConn{db.pool}, dialect, q)
	return m, ok, unavailable("ai median", err)
}

// PercentileAIMedian is the median as PostgreSQL's percentile_cont(0.5)
// computes it over the same records, the leaderboard's own query: the
// reference the suite checks AIMedian against on this store.
func (db *DB) PercentileAIMedian(ctx context.Context, q podium.StatsQuery) (float64, bool, error) {
	since, until := rollup.Clamp(q.Since, q.Until)
	query := "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY round_trip_time) FROM ai_stats " +
		"WHERE round_trip_time != 0 AND success_rate = 1 AND ts >= $1 AND ts < $2"
	args := []any{since, until}
	for _, f := range []struct{ col, v string }{{"pipeline", q.Pipeline}, {"model", q.Model}, {"region", q.Region}} {
		if f.v != "" {
			args = append(args, f.v)
			query += fmt.Sprintf(" AND %s = $%d", f.col, len(args))
		}
	}
	var m *float64
	if err := db.pool.QueryRow(ctx, query, args...).Scan(&m); err != nil {
		return 0, false, unavailable("ai median", err)
	}
	if m == nil {
		return 0, false, nil
	}
	return *m, true, nil
}

func (db *DB) AIRawStats(ctx context.Context, q podium.StatsQuery) ([]podium.Stats, error) {
	out, err := rollup.AIRawStats(ctx, pgConn{db.pool}, dialect, q)
	return out, unavailable("ai raw stats", err)
}

func (db *DB) Pipelines(ctx context.Context, q podium.StatsQuery) ([]podium.Pipeline, error) {
	out, err := rollup.Pipelines(ctx, pgConn{db.pool}, dialect, q)
	return out, unavailable("pipelines", err)
}

func (db *DB) TopAIScore(ctx context.Context, orchestrator string, since, until int64) (podium.AIScore, bool, error) {
	best, median, medianOK, found, err := rollup.TopAI(ctx, pgConn{db.pool}, dialect, orchestrator, since, until)
	if err != nil || !found {
		return podium.AIScore{}, false, unavailable("top ai score", err)
	}
	return podium.AIScore{
		Region: best.Region, Orchestrator: best.Orchestrator, Model: best.Model, Pipeline: best.Pipeline,
		Value: score.OfAIAggregate(best, median, medianOK).Total,
	}, true, nil
}
