package pm

import "math/big"

// pixelEstimateMultiplier is go-livepeer's margin on the estimated pixels
// of a segment, so that a sender never underpays. go-livepeer converts the
// float64 1.02 to a big.Rat; so does podium, to count the same tickets.
var pixelEstimateMultiplier = new(big.Rat).SetFloat64(1.02)

// OutputPixels estimates, as go-livepeer's broadcaster does, the pixels
// of one rendition of a segment: width × height × ceil(frame rate) ×
// ceil(duration in seconds), a frame rate of 0 (passed through) counting as
// 60 and a denominator of 0 as 1.
func OutputPixels(width, height, framerate, framerateDen int64, seconds float64) int64 {
	if framerate == 0 {
		framerate = 60
	}
	if framerateDen == 0 {
		framerateDen = 1
	}
	fps := (framerate + framerateDen - 1) / framerateDen
	secs := int64(seconds)
	if float64(secs) < seconds {
		secs++
	}
	return width * height * fps * secs
}

// EstimateFee is the fee a sender pays ahead for pixels output pixels at
// price wei per pixel: pixels × 1.02 × price.
func EstimateFee(pixels int64, price *big.Rat) *big.Rat {
	fee := new(big.Rat).SetInt64(pixels)
	fee.Mul(fee, pixelEstimateMultiplier)
	return fee.Mul(fee, price)
}

// NumTickets is how many tickets of expected value ev cover the gap between
// credit and minCredit: the ceiling of (minCredit − credit) ÷ ev, and 0
// when credit already covers minCredit or ev is 0. Like go-livepeer's
// broadcaster, a sender asks for at least one ticket's worth
// (minCredit ≥ ev): the recipient works only on a balance of at least one
// ticket's expected value.
func NumTickets(minCredit, credit, ev *big.Rat) int {
	if ev.Sign() > 0 && ev.Cmp(minCredit) > 0 {
		minCredit = ev
	}
	if credit.Cmp(minCredit) >= 0 || ev.Sign() == 0 {
		return 0
	}
	gap := new(big.Rat).Sub(minCredit, credit)
	q := gap.Quo(gap, ev)
	n := new(big.Int).Quo(q.Num(), q.Denom())
	if !q.IsInt() {
		n.Add(n, big.NewInt(1))
	}
	return int(n.Int64())
}
