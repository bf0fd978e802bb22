package score

import (
	"math"
	"slices"

	"github.com/podiumhq/podium"
)

// AI weights and the score at the median round trip, as Livepeer's
// leaderboard (leaderboard-serverless, score/stats_scorer.go) sets them.
const (
	aiWeightSuccess = 0.65
	aiWeightRTT     = 0.35
	aiAtMedian      = 0.8 // an orchestrator as fast as the median scores 0.8
)

// OfAI scores an aggregate of AI tests on the 0–1 scale, against median,
// the median round trip in seconds of the successful tests (success rate 1,
// round trip above 0) of the same window and filters, across all
// orchestrators:
//
//	k     = -ln(0.8) / median
//	rtt   = exp(-k * mean round trip)      (the mean over every test)
//	total = 0.65 * success + 0.35 * rtt     (0 when success is 0)
//
// Where the leaderboard has no median (no test in the window succeeded,
// so PostgreSQL's percentile is NULL and its score NaN, answered with a
// 500), ok is false and podium scores the round trip 0: nothing is known
// to be fast, and the total rests on the success rate alone. An aggregate
// with no tests scores 0.
func OfAI(a podium.Aggregate, median float64, ok bool) podium.Score {
	if a.Tests == 0 {
		return podium.Score{}
	}
	success := float64(a.SumSuccessRate) / podium.RateUnit / float64(a.Tests)
	mean := float64(a.SumRoundTrip) / podium.TimeUnit / float64(a.Tests)
	return ofAI(success, mean, median, ok)
}

// OfAIAggregate is OfAI of an AI aggregate (podium.AIStore), whose round
// trips are summed in nanoseconds.
func OfAIAggregate(a podium.AIAggregate, median float64, ok bool) podium.Score {
	if a.Tests == 0 {
		return podium.Score{}
	}
	return ofAI(a.MeanSuccessRate(), a.MeanRoundTrip(), median, ok)
}

// ofAI scores a mean success rate and a mean round trip (OfAI).
func ofAI(success, mean, median float64, ok bool) podium.Score {
	rtt := 0.0
	if ok && median > 0 {
		k := -math.Log(aiAtMedian) / median
		rtt = math.Exp(-k * mean)
	}
	if success == 0 {
		return podium.Score{RoundTripScore: rtt}
	}
	return podium.Score{SuccessRate: success, RoundTripScore: rtt, Total: aiWeightSuccess*success + aiWeightRTT*rtt}
}

// Median returns the median of round trips given in podium.TimeUnit, in
// seconds, as PostgreSQL's percentile_cont(0.5) takes it: the middle value,
// or the mean of the middle two (lower + (upper - lower) / 2). ok is false
// for no values. It sorts rtts in place.
func Median(rtts []int64) (median float64, ok bool) {
	n := len(rtts)
	if n == 0 {
		return 0, false
	}
	slices.Sort(rtts)
	lo, hi := float64(rtts[(n-1)/2])/podium.TimeUnit, float64(rtts[n/2])/podium.TimeUnit
	return lo + 0.5*(hi-lo), true
}
