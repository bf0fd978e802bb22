package web

import (
	"net/url"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func TestParseStatsQuery(t *testing.T) {
	now := time.Unix(1723741735, 250_000_000)
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			query string
			want  podium.StatsQuery
		}{
			{"", podium.StatsQuery{Since: 1723741735 - 86400 + 1, Until: 1723741736}},
			{"since=100&until=200", podium.StatsQuery{Since: 100, Until: 200}},
			{"since=100.5&until=200.5", podium.StatsQuery{Since: 101, Until: 201}},
			{"since=100.000000000000000001&until=200.0", podium.StatsQuery{Since: 101, Until: 200}},
			{"since=1723741735.9999999999999999&until=1723741736", podium.StatsQuery{Since: 1723741736, Until: 1723741736}},
			{"since=-1.5&until=1e3", podium.StatsQuery{Since: -1, Until: 1000}},
			{"since=0&until=0", podium.StatsQuery{Since: 0, Until: 0}},
			{"orchestrator=0xABCdef&region=fra&since=1", podium.StatsQuery{Orchestrator: "0xabcdef", Region: "FRA", Since: 1, Until: 1723741736}},
		} {
			v, _ := url.ParseQuery(tt.query)
			got, err := parseStatsQuery(v, now)
			if err != nil {
				t.Fatalf("%q: %v", tt.query, err)
			}
			if got != tt.want {
				t.Errorf("%q: got %+v, want %+v", tt.query, got, tt.want)
			}
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tt := range []struct{ query, field string }{
			{"since=abc", "since"},
			{"until=abc", "until"},
			{"since=NaN", "since"},
			{"until=Inf", "until"},
			{"since=1e300", "since"},
			{"since=1/2", "since"},
			{"since=1_000", "since"},
			{"region=FRA%00", "region"},
			{"orchestrator=0xab%00", "orchestrator"},
			{"orchestrator=%ff%fe", "orchestrator"},
			{"region=FRA%0d%0aX:1", "region"},
		} {
			v, _ := url.ParseQuery(tt.query)
			_, err := parseStatsQuery(v, now)
			if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorField(err) != tt.field {
				t.Errorf("%q: got %v (field %q), want invalid %s", tt.query, err, podium.ErrorField(err), tt.field)
			}
		}
	})
}
