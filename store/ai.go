package store

import (
	"context"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// The database answers the AI queries of its backend (podium.AIStore).

var _ podium.AIStore = (*DB)(nil)

func (db *DB) AIAggregates(ctx context.Context, q podium.StatsQuery) ([]podium.AIAggregate, error) {
	return db.be.AIAggregates(ctx, q)
}

func (db *DB) AIMedian(ctx context.Context, q podium.StatsQuery) (float64, bool, error) {
	return db.be.AIMedian(ctx, q)
}

func (db *DB) AIRawStats(ctx context.Context, q podium.StatsQuery) ([]podium.Stats, error) {
	return db.be.AIRawStats(ctx, q)
}

func (db *DB) Pipelines(ctx context.Context, q podium.StatsQuery) ([]podium.Pipeline, error) {
	return db.be.Pipelines(ctx, q)
}

func (db *DB) TopAIScore(ctx context.Context, orchestrator string, since, until int64) (podium.AIScore, bool, error) {
	return db.be.TopAIScore(ctx, orchestrator, since, until)
}

// importAI stores the AI records of recs by the backend's AI path (one
// transaction: AI tests need no fold) and the others by its bulk import;
// ok is false when recs holds no AI record.
func (db *DB) importAI(ctx context.Context, recs []podium.Stats) (added int, ok bool, err error) {
	ai, other := rollup.SplitAI(recs)
	if len(ai) == 0 {
		return 0, false, nil
	}
	if added, err = db.be.AddStats(ctx, ai); err != nil || len(other) == 0 {
		return added, true, err
	}
	n, err := db.be.ImportStats(ctx, other)
	return added + n, true, err
}
