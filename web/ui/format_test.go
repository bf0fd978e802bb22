package ui

import (
	"testing"
	"time"
)

func TestFormatAmount(t *testing.T) {
	for _, tt := range []struct {
		units string
		dec   int
		want  string
	}{
		{"0", 18, "0"},
		{"7000000000000000000000", 18, "7,000"},
		{"363636363636363636363", 18, "363.636363636363636363"},
		{"1", 18, "0.000000000000000001"},
		{"-1234567", 3, "-1,234.567"},
		{"999", 0, "999"},
		{"1000", 0, "1,000"},
		{"not a number", 18, "not a number"},
	} {
		if got := formatAmount(tt.units, tt.dec); got != tt.want {
			t.Errorf("formatAmount(%s, %d) = %q, want %q", tt.units, tt.dec, got, tt.want)
		}
	}
}

func TestFormatScore(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{0, "0.00"}, {0.632120558, "6.32"}, {1, "10.00"}, {0.29999, "3.00"}} {
		if got := formatScore(tt.v); got != tt.want {
			t.Errorf("formatScore(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestFormatUntil(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "now"},
		{40 * time.Second, "40 s"},
		{5*time.Minute + 3*time.Second, "5 min 3 s"},
		{3*time.Hour + 20*time.Minute, "3 h 20 min"},
		{4*24*time.Hour + 5*time.Hour, "4 d 5 h"},
	} {
		if got := formatUntil(now, now.Add(tt.d)); got != tt.want {
			t.Errorf("formatUntil(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestShortAddress(t *testing.T) {
	for in, want := range map[string]string{
		"0x0fc80000000000000000000000000000000f8658": "0x0fc8…8658",
		"sha256:0123456789abcdef0123456789":          "sha256:0123456789ab…",
		"alice.eth":                                  "alice.eth",
	} {
		if got := shortAddress(in); got != want {
			t.Errorf("shortAddress(%s) = %q, want %q", in, got, want)
		}
	}
}
