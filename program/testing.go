package program

import (
	"github.com/podiumhq/podium"
)

// parseTesting reads the optional testing section:
//
//	testing:
//	  max_price_per_pixel: "1200"   # wei per pixel, or "WEI/PIXELS"
func parseTesting(root *object, p *podium.Program) error {
	n := root.get("testing")
	if n == nil {
		return nil
	}
	o, err := mapping(n, "testing", "max_price_per_pixel")
	if err != nil {
		return err
	}
	s, err := o.str("max_price_per_pixel", false)
	if err != nil || s == "" {
		return err
	}
	limit, err := podium.ParseWeiRat(s)
	if err != nil || limit.Sign() == 0 {
		return errAt(o.get("max_price_per_pixel"), o.field("max_price_per_pixel"),
			`%q is not a price above 0 in wei per pixel; write "1200" or "WEI/PIXELS", e.g. "1200/1000"`, s)
	}
	p.Testing.MaxPrice = limit
	return nil
}
