package payout

import (
	"math/big"
	"strings"

	"github.com/podiumhq/podium"
)

// ParseUnits converts a decimal amount of whole tokens ("7000", "0.5") into
// base units with the given decimals. More fractional digits than decimals
// is an error, never a rounding.
func ParseUnits(s string, decimals int) (*big.Int, error) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || len(frac) > decimals || strings.ContainsAny(whole+frac, "+-") {
		return nil, podium.FieldError("budget", "%q is not an amount of tokens with at most %d decimals", s, decimals)
	}
	v, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", decimals-len(frac)), 10)
	if !ok {
		return nil, podium.FieldError("budget", "%q is not an amount of tokens", s)
	}
	return v, nil
}

// FormatUnits writes base units as a decimal amount of whole tokens.
func FormatUnits(v *big.Int, decimals int) string {
	s := v.String()
	if decimals == 0 {
		return s
	}
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	whole, frac := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}
