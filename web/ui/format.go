package ui

import (
	"fmt"
	"html/template"
	"math/big"
	"strings"
	"time"

	"github.com/podiumhq/podium"
)

var funcs = template.FuncMap{
	"score":    formatScore,
	"short":    shortAddress,
	"utc":      formatTime,
	"secs":     formatSeconds,
	"pct":      formatPercent,
	"amount":   formatAmount,
	"eth":      formatWei,
	"until":    formatUntil,
	"unix":     func(t time.Time) int64 { return t.Unix() },
	"dict":     dict,
	"band":     band,
	"testTime": func(ts int64) string { return time.Unix(ts, 0).UTC().Format("Jan 2 15:04:05") },
	"span":     formatSpan,
}

// formatScore shows a 0–1 score on the 0–10 scale people read, with two
// decimals.
func formatScore(v float64) string { return fmt.Sprintf("%.2f", v*10) }

// band classes a 0–1 total score for its colour: "hi" from 6 (about real
// time with full success), "mid" from 3 (the usual qualifying score), "lo".
func band(v float64) string {
	switch {
	case v*10 >= 6:
		return "hi"
	case v*10 >= 3:
		return "mid"
	}
	return "lo"
}

// shortAddress abbreviates a 0x address or hash to its first and last four
// digits, and a "sha256:…" id to its first twelve; the full value goes in a
// title or next to it.
func shortAddress(a string) string {
	switch {
	case strings.HasPrefix(a, "0x") && len(a) > 14:
		return a[:6] + "…" + a[len(a)-4:]
	case strings.HasPrefix(a, "sha256:") && len(a) > 19:
		return a[:19] + "…"
	}
	return a
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func formatSeconds(v float64) string { return fmt.Sprintf("%.2f s", v) }

func formatPercent(v float64) string { return fmt.Sprintf("%.0f %%", v*100) }

// formatWei shows an amount of wei in ether, exactly, thousands grouped.
func formatWei(wei *big.Int) string {
	if wei == nil {
		return "0"
	}
	return formatAmount(wei.String(), 18)
}

// formatAmount turns a decimal string of base units into token units,
// exact (nothing is rounded), with thousands grouped for reading.
func formatAmount(units string, decimals int) string {
	n, ok := new(big.Int).SetString(units, 10)
	if !ok {
		return units
	}
	s := podium.FormatAmount(n, decimals)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	s = sign + groupThousands(whole)
	if dot {
		s += "." + frac
	}
	return s
}

func groupThousands(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatUntil says how long from now to t, coarsely: "2 d 3 h", "5 h 12 min",
// "40 s"; "now" once t has passed.
func formatUntil(now, t time.Time) string {
	d := t.Sub(now)
	if d <= 0 {
		return "now"
	}
	days, d := d/(24*time.Hour), d%(24*time.Hour)
	hours, d := d/time.Hour, d%time.Hour
	mins, secs := d/time.Minute, (d%time.Minute)/time.Second
	switch {
	case days > 0:
		return fmt.Sprintf("%d d %d h", days, hours)
	case hours > 0:
		return fmt.Sprintf("%d h %d min", hours, mins)
	case mins > 0:
		return fmt.Sprintf("%d min %d s", mins, secs)
	default:
		return fmt.Sprintf("%d s", secs)
	}
}

// dict builds a map in a template, to pass several values to a sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// formatSpan writes a chart bucket's width as people say it: "3 h", "1 d".
func formatSpan(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d d", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	default:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
}
