package main

import (
	"context"
	"log/slog"
	"math/big"
	"sync"

	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/web"
)

// priceCap keeps a paying prober's price cap at the lower of its
// --max-price and the cap of the program the leaderboard serves, read
// before each cycle. When the leaderboard cannot say (down, or serving no
// program), the flag alone applies and the log says so.
type priceCap struct {
	flag   *big.Rat // nil: no --max-price
	rounds func(ctx context.Context) (web.RoundsBody, error)
	payer  *lpnet.Payer
	log    *slog.Logger

	mu   sync.Mutex
	said string // the last source logged, so that each change is said once
}

// update reads the program's cap and sets the payer's; it returns the cap
// in force.
func (c *priceCap) update(ctx context.Context) *big.Rat {
	limit, source := c.flag, "flag"
	body, err := c.rounds(ctx)
	var prog *big.Rat
	if err == nil {
		prog, err = body.MaxPrice()
	}
	switch {
	case err != nil:
		source = "flag: program unavailable"
	case prog == nil:
		source = "flag: the program sets no cap"
	case limit == nil || prog.Cmp(limit) < 0:
		limit, source = prog, "program "+body.Program
	}
	c.payer.SetMaxPrice(limit)
	c.mu.Lock()
	defer c.mu.Unlock()
	if key := source + " " + ratOrNone(limit); key != c.said {
		c.said = key
		attrs := []any{"max_price", ratOrNone(limit), "from", source, "flag", ratOrNone(c.flag), "program", ratOrNone(prog)}
		if err != nil {
			c.log.Warn("price cap: the program's cap cannot be read; the flag alone applies", append(attrs, "err", err)...)
		} else {
			c.log.Info("price cap", attrs...)
		}
	}
	return limit
}

func ratOrNone(r *big.Rat) string {
	if r == nil {
		return "none"
	}
	return r.RatString()
}
