package payout_test

import (
	"testing"

	"github.com/podiumhq/podium/chain/payout"
)

func TestParseUnits(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"7000", "7000000000000000000000"}, {"0.5", "500000000000000000"}, {"1.000000000000000001", "1000000000000000001"},
	} {
		got, err := payout.ParseUnits(tt.in, 18)
		if err != nil || got.String() != tt.want {
			t.Errorf("ParseUnits(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
		if back := payout.FormatUnits(got, 18); back != tt.in {
			t.Errorf("FormatUnits(%s) = %s, want %s", got, back, tt.in)
		}
	}
	for _, bad := range []string{"", "-1", "1.0000000000000000001", "abc", ".5", "1e3"} {
		if _, err := payout.ParseUnits(bad, 18); err == nil {
			t.Errorf("ParseUnits(%q): want an error", bad)
		}
	}
}
