package pm

import (
	"math/big"
	"testing"
)

func TestNumTickets(t *testing.T) {
	for _, tc := range []struct {
		name              string
		minCredit, credit *big.Rat
		ev                *big.Rat
		want              int
	}{
		{"Exact", big.NewRat(100, 1), new(big.Rat), big.NewRat(10, 1), 10},
		{"Ceiling", big.NewRat(101, 1), new(big.Rat), big.NewRat(10, 1), 11},
		{"CreditCovers", big.NewRat(100, 1), big.NewRat(100, 1), big.NewRat(10, 1), 0},
		{"CreditPart", big.NewRat(100, 1), big.NewRat(95, 1), big.NewRat(10, 1), 1},
		{"AtLeastOneEV", big.NewRat(1, 1), new(big.Rat), big.NewRat(10, 1), 1},
		{"FeeBelowEVCreditOK", big.NewRat(1, 1), big.NewRat(10, 1), big.NewRat(10, 1), 0},
		{"ZeroEV", big.NewRat(100, 1), new(big.Rat), new(big.Rat), 0},
		{"Fraction", big.NewRat(7, 3), new(big.Rat), big.NewRat(1, 3), 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NumTickets(tc.minCredit, tc.credit, tc.ev); got != tc.want {
				t.Errorf("NumTickets = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestEstimateFee works go-livepeer's estimate out by hand for a 2 s
// segment and the 240p/360p/720p ladder at 30 fps and 1200 wei per pixel.
func TestEstimateFee(t *testing.T) {
	px := OutputPixels(426, 240, 30, 1, 2) + OutputPixels(640, 360, 30, 1, 2) + OutputPixels(1280, 720, 30, 1, 2)
	if px != (426*240+640*360+1280*720)*30*2 {
		t.Fatalf("pixels = %d", px)
	}
	if got := OutputPixels(640, 360, 0, 0, 1.5); got != 640*360*60*2 {
		t.Errorf("passthrough fps, 1.5 s: %d pixels, want %d", got, 640*360*60*2)
	}
	if got := OutputPixels(640, 360, 30000, 1001, 2); got != 640*360*30*2 {
		t.Errorf("29.97 fps: %d pixels, want %d", got, 640*360*30*2)
	}
	fee := EstimateFee(px, big.NewRat(1200, 1))
	// 1.02 as a float64 is a hair above 1.02.
	low := new(big.Rat).Mul(big.NewRat(px*1200, 1), big.NewRat(102, 100))
	high := new(big.Rat).Add(low, big.NewRat(1, 1000))
	if fee.Cmp(low) <= 0 || fee.Cmp(high) >= 0 {
		t.Errorf("fee = %s, want just above %s", fee.FloatString(6), low.FloatString(6))
	}
}
