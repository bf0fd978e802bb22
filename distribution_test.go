package podium_test

import (
	"testing"

	"github.com/podiumhq/podium"
)

func TestFormatAwards(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []podium.Award
		want string
	}{
		{"OKNone", nil, ""},
		{"OKPool", []podium.Award{{Pool: "qualified", Amount: "363636363636363636363"}}, "qualified=363636363636363636363"},
		{"OKRanked", []podium.Award{
			{Pool: "qualified", Amount: "5"},
			{Pool: "regional-top5", Region: "MDW", Rank: 1, Amount: "200"},
			{Pool: "regional-top5", Region: "FRA", Rank: 12, Amount: "7"},
		}, "qualified=5;regional-top5:MDW#1=200;regional-top5:FRA#12=7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := podium.FormatAwards(tc.in); got != tc.want {
				t.Fatalf("FormatAwards = %q, want %q", got, tc.want)
			}
		})
	}
}
