package round

import (
	"testing"
	"time"
)

func TestPhaseAt(t *testing.T) {
	start := time.Date(2020, 12, 14, 15, 0, 0, 0, time.UTC)
	end := start.Add(7 * 24 * time.Hour)
	for _, tt := range []struct {
		name         string
		now          time.Time
		frozen, paid bool
		want         Phase
	}{
		{"Upcoming", start.Add(-time.Second), false, false, Upcoming},
		{"RunningAtStart", start, false, false, Running},
		{"Running", end.Add(-time.Second), false, false, Running},
		{"EndedAtEnd", end, false, false, Ended},
		{"Final", end.Add(time.Hour), true, false, Final},
		{"Paid", end.Add(time.Hour), true, true, Paid},
		// A payout without a frozen snapshot is not a paid round.
		{"PaidButNotFrozen", end.Add(time.Hour), false, true, Ended},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := phaseAt(start, end, tt.now, tt.frozen, tt.paid); got != tt.want {
				t.Errorf("phaseAt = %s, want %s", got, tt.want)
			}
		})
	}
}
