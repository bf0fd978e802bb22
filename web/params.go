package web

import (
	"math"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/podiumhq/podium"
)

// DefaultWindow is the window of a query without since, as in
// leaderboard-serverless: the last 24 hours.
const DefaultWindow = 24 * time.Hour

// maxUnix bounds since and until so that every accepted value fits an int64
// timestamp; it is far beyond any real time (year ~3.2e10).
const maxUnix = 1e18

// parseStatsQuery reads orchestrator, region, since and until the way
// leaderboard-serverless does (orchestrator lowercased, region uppercased,
// since/until unix seconds with fractions, default the last 24 h up to now)
// and turns the window into podium's [Since, Until) on integer timestamps.
func parseStatsQuery(v url.Values, now time.Time) (podium.StatsQuery, error) {
	q := podium.StatsQuery{
		Orchestrator: strings.ToLower(strings.TrimSpace(v.Get("orchestrator"))),
		Region:       strings.ToUpper(strings.TrimSpace(v.Get("region"))),
	}
	for _, name := range []string{"orchestrator", "region"} {
		if val := v.Get(name); !printable(val) {
			return q, podium.FieldError(name, "must be printable text, not %q", val)
		}
	}
	var err error
	if q.Since, err = parseBound(v, "since", now.Add(-DefaultWindow)); err != nil {
		return q, err
	}
	if q.Until, err = parseBound(v, "until", now); err != nil {
		return q, err
	}
	return q, nil
}

// printable reports whether s is valid UTF-8 without control characters:
// PostgreSQL refuses a NUL in text, and no address or region holds one.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// parseBound returns the smallest integer timestamp t with t >= the
// parameter's value, so that "timestamp >= value" and "timestamp < value"
// on real numbers become the same comparisons with t on integers. The
// decimal is taken exactly: 100.000000000000000001 is above 100.
func parseBound(v url.Values, name string, def time.Time) (int64, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return ceilTime(def), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > maxUnix || strings.ContainsAny(s, "_/") {
		return 0, podium.FieldError(name, "must be unix seconds, for example 1723741735 or 1723741735.5, not %q", s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, podium.FieldError(name, "must be unix seconds, for example 1723741735 or 1723741735.5, not %q", s)
	}
	// Ceiling of num/den for den > 0: floor division rounds toward -inf,
	// so ceil = -floor(-num/den).
	num, den := new(big.Int).Neg(r.Num()), r.Denom()
	q := new(big.Int)
	q.Div(num, den) // Euclidean division; den > 0 so this is floor
	return -q.Int64(), nil
}

// ceilTime is the smallest unix second not before t.
func ceilTime(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}
