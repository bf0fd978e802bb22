package ui

import (
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
)

func TestHintsFor(t *testing.T) {
	test := func(failures int, codes ...string) podium.Stats {
		s := podium.Stats{VerificationFailures: failures}
		for _, c := range codes {
			s.Errors = append(s.Errors, podium.StatsError{ErrorCode: c, Count: 1})
		}
		return s
	}
	for _, tt := range []struct {
		name  string
		tests []podium.Stats
		want  []string // hint titles, in order
	}{
		{"OK/None", []podium.Stats{test(0)}, nil},
		{"OK/Unreachable", []podium.Stats{test(0, "Timeout"), test(0, "Discovery"), test(0, "Timeout")}, []string{"Service URI unreachable or too slow"}},
		{"OK/Capped", []podium.Stats{test(0, "OrchestratorCapped"), test(0, "OrchestratorBusy")}, []string{"At capacity"}},
		{"OK/VerificationFromCount", []podium.Stats{test(3)}, []string{"Renditions did not match the source"}},
		{"OK/Several", []podium.Stats{test(0, "Transcode", "MissingRendition"), test(1, "VerificationFailed", "PriceTooHigh")},
			[]string{"Renditions did not match the source", "Price too high", "A rendition was missing", "Transcoding failed"}},
		{"OK/Unknown", []podium.Stats{test(0, "Gremlins")}, []string{"Other errors"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, h := range hintsFor(tt.tests) {
				got = append(got, h.Title)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("hints %q, want %q", got, tt.want)
			}
		})
	}
}
