package podium_test

import (
	"math/big"
	"testing"

	"github.com/podiumhq/podium"
)

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		dec  int
		want string
	}{
		{"7000", 18, "7000000000000000000000"},
		{"0.25", 18, "250000000000000000"},
		{"1.5", 1, "15"},
		{"0", 18, "0"},
		{"12", 0, "12"},
		{"1.000000000000000001", 18, "1000000000000000001"},
	} {
		t.Run("OK"+tc.in, func(t *testing.T) {
			v, err := podium.ParseAmount(tc.in, tc.dec)
			if err != nil || v.String() != tc.want {
				t.Fatalf("ParseAmount(%q, %d) = %v, %v; want %s", tc.in, tc.dec, v, err, tc.want)
			}
			if back := podium.FormatAmount(v, tc.dec); back != tc.in {
				t.Fatalf("FormatAmount = %q, want %q", back, tc.in)
			}
		})
	}
	for _, tc := range []struct {
		name, in string
		dec      int
	}{
		{"ErrTooPrecise", "0.125", 2},
		{"ErrNegative", "-1", 18},
		{"ErrExponent", "1e3", 18},
		{"ErrEmpty", "", 18},
		{"ErrNoWhole", ".5", 18},
		{"ErrNoFraction", "7.", 18},
		{"ErrDecimals", "1", 99},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := podium.ParseAmount(tc.in, tc.dec); podium.ErrorCode(err) != podium.EINVALID {
				t.Fatalf("ParseAmount(%q) err = %v, want invalid", tc.in, err)
			}
		})
	}
}

func TestFormatAmount(t *testing.T) {
	v, _ := new(big.Int).SetString("363636363636363636363", 10)
	if got := podium.FormatAmount(v, 18); got != "363.636363636363636363" {
		t.Fatalf("got %s", got)
	}
	if got := podium.FormatAmount(big.NewInt(5), 18); got != "0.000000000000000005" {
		t.Fatalf("got %s", got)
	}
}
