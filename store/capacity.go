package store

import (
	"context"

	"github.com/podiumhq/podium"
)

var _ podium.CapacityStore = (*DB)(nil)

// AddCapacity stores capacity records in the backend (podium.CapacityStore).
func (db *DB) AddCapacity(ctx context.Context, recs []podium.Capacity) (int, error) {
	return db.be.AddCapacity(ctx, recs)
}

// Capacities reads capacity records from the backend (podium.CapacityStore).
func (db *DB) Capacities(ctx context.Context, q podium.CapacityQuery) ([]podium.Capacity, error) {
	return db.be.Capacities(ctx, q)
}
