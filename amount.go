package podium

import (
	"math/big"
	"regexp"
	"strings"
)

// MaxDecimals bounds a token's decimals; ERC-20 tokens use at most 18 in
// practice and 36 leaves room without risking absurd exponents.
const MaxDecimals = 36

var amountRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// ParseAmount converts a decimal string of token units ("7000", "0.25") to
// exact integer base units with the given decimals. More fractional digits
// than decimals is an error, never a rounding.
func ParseAmount(s string, decimals int) (*big.Int, error) {
	if decimals < 0 || decimals > MaxDecimals {
		return nil, Errorf(EINVALID, "decimals %d out of range 0..%d", decimals, MaxDecimals)
	}
	if !amountRE.MatchString(s) {
		return nil, Errorf(EINVALID, "%q is not a decimal number of token units", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > decimals {
		return nil, Errorf(EINVALID, "%q has %d decimal places; the token has %d", s, len(frac), decimals)
	}
	digits := whole + frac + strings.Repeat("0", decimals-len(frac))
	v, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return nil, Errorf(EINVALID, "%q is not a decimal number", s)
	}
	return v, nil
}

// FormatAmount renders base units as a decimal string of token units with
// no trailing zeros ("7000", "363.636363636363636363").
func FormatAmount(v *big.Int, decimals int) string {
	if v == nil {
		return "0"
	}
	neg := v.Sign() < 0
	s := new(big.Int).Abs(v).String()
	if decimals > 0 {
		if len(s) <= decimals {
			s = strings.Repeat("0", decimals-len(s)+1) + s
		}
		whole, frac := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
		s = whole
		if frac != "" {
			s += "." + frac
		}
	}
	if neg {
		s = "-" + s
	}
	return s
}
