package score_test

import (
	"math"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

func TestOfAI(t *testing.T) {
	const eps = 1e-12
	k := -math.Log(0.8) / 2 // a median of 2 s
	for _, tc := range []struct {
		name                string
		recs                []podium.Stats
		median              float64
		ok                  bool
		success, rtt, total float64
	}{
		// As fast as the median: the round trip scores 0.8.
		{"OKAtMedian", []podium.Stats{{RoundTripTime: 2, SuccessRate: 1}}, 2, true,
			1, 0.8, 0.65 + 0.35*0.8},
		// The mean counts failed tests' round trips (0 here), as the
		// leaderboard's AVG(COALESCE(round_trip_time, 0)) does.
		{"OKMeanOverAllTests", []podium.Stats{{RoundTripTime: 3, SuccessRate: 1}, {RoundTripTime: 0, SuccessRate: 0}}, 2, true,
			0.5, math.Exp(-k * 1.5), 0.65*0.5 + 0.35*math.Exp(-k*1.5)},
		{"OKSlow", []podium.Stats{{RoundTripTime: 20, SuccessRate: 1}}, 2, true,
			1, math.Exp(-k * 20), 0.65 + 0.35*math.Exp(-k*20)},
		// No success: the total is 0 whatever the round trip.
		{"OKNoSuccess", []podium.Stats{{RoundTripTime: 1, SuccessRate: 0}}, 2, true,
			0, math.Exp(-k * 1), 0},
		// No median (no successful test anywhere in the window): podium's
		// defined value where the leaderboard answers 500.
		{"OKNoMedian", []podium.Stats{{RoundTripTime: 1, SuccessRate: 0.5}}, 0, false,
			0.5, 0, 0.65 * 0.5},
		{"OKNoData", nil, 2, true, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := score.OfAI(agg(tc.recs...), tc.median, tc.ok)
			if math.Abs(s.SuccessRate-tc.success) > eps || math.Abs(s.RoundTripScore-tc.rtt) > eps || math.Abs(s.Total-tc.total) > eps {
				t.Fatalf("got %+v, want success %v rtt %v total %v", s, tc.success, tc.rtt, tc.total)
			}
			if math.IsNaN(s.Total) || math.IsInf(s.Total, 0) {
				t.Fatalf("total %v", s.Total)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		us   []int64
		want float64
		ok   bool
	}{
		{"OKOdd", []int64{3e6, 1e6, 2e6}, 2, true},
		{"OKEvenInterpolates", []int64{4e6, 1e6, 2e6, 3e6}, 2.5, true},
		{"OKOne", []int64{1_500_000}, 1.5, true},
		{"OKEmpty", nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := score.Median(tc.us)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("Median = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
