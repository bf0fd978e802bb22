package podium

import "context"

// AITimeUnit is the fixed-point unit in which AI round trips are summed:
// nanoseconds, so that the mean round trip, and the score taken from it,
// agree with Livepeer's leaderboard's floating-point mean to about 1e-9.
const AITimeUnit = 1e9

// AIAggregate sums the AI tests of one orchestrator in one region for one
// pipeline and model over a window.
type AIAggregate struct {
	Pipeline     string `json:"pipeline"`
	Model        string `json:"model"`
	Orchestrator string `json:"orchestrator"`
	Region       string `json:"region"`

	Tests          int64 `json:"tests"`
	SumSuccessRate int64 `json:"sum_success_rate_e9"` // RateUnit
	SumRoundTrip   int64 `json:"sum_round_trip_ns"`   // AITimeUnit
}

// AIAggregateOf returns the aggregate of the single AI record s.
func AIAggregateOf(s Stats) AIAggregate {
	return AIAggregate{
		Pipeline: s.Pipeline, Model: s.Model, Orchestrator: s.Orchestrator, Region: s.Region,
		Tests: 1, SumSuccessRate: RateUnits(s.SuccessRate), SumRoundTrip: AINanos(s.RoundTripTime),
	}
}

// AINanos converts seconds to AITimeUnit, rounding to nearest.
func AINanos(seconds float64) int64 { return int64(seconds*AITimeUnit + 0.5) }

// Add returns a + b; the key fields are a's.
func (a AIAggregate) Add(b AIAggregate) AIAggregate {
	a.Tests += b.Tests
	a.SumSuccessRate += b.SumSuccessRate
	a.SumRoundTrip += b.SumRoundTrip
	return a
}

// MeanSuccessRate and MeanRoundTrip are the means over the tests, 0 for
// none.
func (a AIAggregate) MeanSuccessRate() float64 {
	if a.Tests == 0 {
		return 0
	}
	return float64(a.SumSuccessRate) / RateUnit / float64(a.Tests)
}

func (a AIAggregate) MeanRoundTrip() float64 {
	if a.Tests == 0 {
		return 0
	}
	return float64(a.SumRoundTrip) / AITimeUnit / float64(a.Tests)
}

// Pipeline is one AI pipeline seen in a window: the models tested on it and
// the regions that tested it, each sorted by bytes (the leaderboard's
// /api/pipelines).
type Pipeline struct {
	ID      string   `json:"id"`
	Models  []string `json:"models"`
	Regions []string `json:"regions"`
}

// AIScore is an orchestrator's best AI score and where it came from (the
// leaderboard's /api/top_ai_score). Value is on the 0–1 scale.
type AIScore struct {
	Region       string  `json:"region"`
	Orchestrator string  `json:"orchestrator"`
	Value        float64 `json:"value"`
	Model        string  `json:"model"`
	Pipeline     string  `json:"pipeline"`
}

// AIStore stores AI tests apart from transcoding ones, so that neither is
// counted in the other's aggregates, and answers the leaderboard's AI
// queries. A StatsStore's AddStats sends AI records (Stats.IsAI) here; its
// Aggregates, RawStats and Costs never see them. Implementations: sqlite
// and postgres; both pass storetest.RunAI.
//
// Every query's window is [Since, Until) on the records' Timestamp, and its
// Pipeline, Model, Orchestrator and Region, when set, narrow it.
type AIStore interface {
	// AIAggregates returns one aggregate per pipeline, model, orchestrator
	// and region with at least one AI test in the window, sorted by those
	// (byte order). It equals a scan of the raw records.
	AIAggregates(ctx context.Context, q StatsQuery) ([]AIAggregate, error)

	// AIMedian returns the median round trip, in seconds, of the AI tests
	// in the window that succeeded (success rate 1, round trip not 0),
	// across all orchestrators: q.Orchestrator is ignored. It equals
	// PostgreSQL's percentile_cont(0.5) over those round trips, as
	// Livepeer's leaderboard takes it; ok is false when there is none.
	AIMedian(ctx context.Context, q StatsQuery) (median float64, ok bool, err error)

	// AIRawStats returns the AI records in the window with their AI fields,
	// in RawStats's order, at most q.Limit when set.
	AIRawStats(ctx context.Context, q StatsQuery) ([]Stats, error)

	// Pipelines returns the pipelines with an AI test in the window (q's
	// Region narrows it; its other filters are ignored), sorted by ID.
	Pipelines(ctx context.Context, q StatsQuery) ([]Pipeline, error)

	// TopAIScore returns orchestrator's best AI score in the window, as
	// Livepeer's leaderboard picks it: of its aggregates per pipeline,
	// model and region, the one with the highest mean success rate, then
	// the lowest mean round trip (then pipeline, model and region in byte
	// order), scored against the median of its pipeline and model across
	// every region and orchestrator. ok is false when it has no AI test.
	TopAIScore(ctx context.Context, orchestrator string, since, until int64) (s AIScore, ok bool, err error)
}
