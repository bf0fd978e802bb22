package store

import (
	"context"

	"github.com/podiumhq/podium"
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
