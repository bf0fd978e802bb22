package podium

import "context"

// StatsQuery selects records. The window is [Since, Until) on the records'
// Timestamp (unix seconds). Empty Orchestrator or Region means all.
type StatsQuery struct {
	Orchestrator string
	Region       string
	Since        int64
	Until        int64
	// JobType is JobTranscoding, JobAI or empty (transcoding). Pipeline and
	// Model narrow an AI query; both or neither are set.
	JobType  string
	Pipeline string
	Model    string
	// Limit caps the number of raw records returned; 0 means no limit.
	Limit int
}

// StatsStore stores test results and answers window queries over them.
// Implementations: sqlite and postgres; both pass storetest.
type StatsStore interface {
	// AddStats stores normalized records durably before returning. A record
	// whose Key (its TestID, or a hash of its content when it has none) is
	// already stored is skipped; added counts the new ones.
	AddStats(ctx context.Context, recs []Stats) (added int, err error)

	// Aggregates returns one aggregate per orchestrator and region with at
	// least one test in the window, sorted by orchestrator then region. The
	// result equals a scan of the raw records, however it is computed.
	Aggregates(ctx context.Context, q StatsQuery) ([]Aggregate, error)

	// RawStats returns the records in the window, newest first; records
	// with the same timestamp are ordered by region, then orchestrator, then
	// Key (byte order), so the order is the same on every store and every
	// call. At most q.Limit records when set.
	RawStats(ctx context.Context, q StatsQuery) ([]Stats, error)

	// Costs totals the costs of the paid tests in q's window per region,
	// and per UTC day when q.Daily, sorted by day then region. Tests
	// without a cost are not counted.
	Costs(ctx context.Context, q CostQuery) ([]CostTotal, error)

	// Ping checks that the store answers (for /healthz).
	Ping(ctx context.Context) error

	// Close releases the store's resources.
	Close() error
}
