package podium

import "context"

// CapacityQuery selects capacity records: the window is [Since, Until) on
// their Timestamp (unix seconds); empty Orchestrator or Region means all.
type CapacityQuery struct {
	Orchestrator string
	Region       string
	Since        int64
	Until        int64
	// Limit caps the records returned; 0 means no limit.
	Limit int
}

// CapacityStore stores capacity records (issue 19). Implementations:
// sqlite and postgres; both pass storetest.RunCapacity.
type CapacityStore interface {
	// AddCapacity stores normalized records durably; one whose TestID is
	// already stored is skipped. added counts the new ones.
	AddCapacity(ctx context.Context, recs []Capacity) (added int, err error)

	// Capacities returns the records in q's window, newest first; records
	// with the same timestamp by region, then orchestrator, then test ID.
	Capacities(ctx context.Context, q CapacityQuery) ([]Capacity, error)
}
