package score_test

import (
	"math"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
)

func agg(recs ...podium.Stats) podium.Aggregate {
	var a podium.Aggregate
	for _, r := range recs {
		a = a.Add(r.Aggregate())
	}
	return a
}

func TestOf(t *testing.T) {
	const eps = 1e-9
	for _, tc := range []struct {
		name                    string
		recs                    []podium.Stats
		success, latency, total float64
	}{
		{"OKRealTime", []podium.Stats{{SegDuration: 2, RoundTripTime: 2, SuccessRate: 1}},
			1, 1 - math.Exp(-1), 1 - math.Exp(-1)},
		// Averages first, then the formula; a zero RTT counts in the mean.
		{"OKZerosIncluded", []podium.Stats{
			{SegDuration: 2, RoundTripTime: 1, SuccessRate: 1},
			{SegDuration: 2, RoundTripTime: 0, SuccessRate: 0},
		}, 0.5, 1 - math.Exp(-2/0.5), 0.5 * (1 - math.Exp(-4))},
		{"OKHalfSuccessRealTimeIsAboutThree", []podium.Stats{{SegDuration: 2, RoundTripTime: 2, SuccessRate: 0.5}},
			0.5, 1 - math.Exp(-1), 0.5 * (1 - math.Exp(-1))},
		{"OKNoRoundTrip", []podium.Stats{{SegDuration: 2, SuccessRate: 0}}, 0, 0, 0},
		{"OKNoData", nil, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := score.Of(agg(tc.recs...))
			if math.Abs(s.SuccessRate-tc.success) > eps || math.Abs(s.RoundTripScore-tc.latency) > eps || math.Abs(s.Total-tc.total) > eps {
				t.Fatalf("got %+v, want success %v latency %v total %v", s, tc.success, tc.latency, tc.total)
			}
		})
	}
}
