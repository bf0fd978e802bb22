// Package score turns aggregated test results into leaderboard scores, exactly
// as Livepeer's leaderboard computes them: averages of the raw fields first,
// then the formula (docs/design.md §5.2).
package score

import (
	"math"

	"github.com/podiumhq/podium"
)

// Of scores an aggregate on the 0–1 scale:
//
//	latency = 1 - exp(-avg_seg/avg_rtt)   (0 when avg_rtt = 0)
//	total   = success * latency
//
// avg_seg/avg_rtt is taken as the ratio of the two sums, which is the same
// quotient since both are over the same tests. An aggregate with no tests
// scores 0; callers that must tell "no data" from 0 check Tests first.
func Of(a podium.Aggregate) podium.Score {
	if a.Tests == 0 {
		return podium.Score{}
	}
	success := float64(a.SumSuccessRate) / podium.RateUnit / float64(a.Tests)
	latency := 0.0
	if a.SumRoundTrip > 0 {
		latency = 1 - math.Exp(-float64(a.SumSegDuration)/float64(a.SumRoundTrip))
	}
	return podium.Score{SuccessRate: success, RoundTripScore: latency, Total: success * latency}
}
