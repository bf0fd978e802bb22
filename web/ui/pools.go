package ui

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/podiumhq/podium"
)

// describePool says in a sentence who pool pays and how much.
func describePool(pool podium.Pool, tok podium.TokenInfo, verified bool) string {
	amount := func(v *big.Int) string { return formatAmount(v.String(), tok.Decimals) + " " + tok.Symbol }
	who := fmt.Sprintf("total score ≥ %g", pool.Eligible.MinScore)
	switch pool.Eligible.Regions.Mode {
	case podium.ScopeAll:
		who += " in every region"
	case podium.ScopeList:
		who += " in one of " + strings.Join(pool.Eligible.Regions.IDs, ", ")
	default:
		who += " in at least one region"
	}
	if pool.Eligible.RequireVerified || verified {
		who += ", renditions verified"
	}
	var s string
	switch {
	case pool.PerRecipient != nil && pool.Eligible.Top > 0:
		s = fmt.Sprintf("%s each to the top %d per %s with %s", amount(pool.PerRecipient), pool.Eligible.Top, pool.Eligible.Per, who)
	case pool.PerRecipient != nil:
		s = fmt.Sprintf("%s each to everyone with %s", amount(pool.PerRecipient), who)
	case pool.Split == podium.SplitProportional:
		s = fmt.Sprintf("%s split in proportion to score among those with %s", amount(pool.Amount), who)
	default:
		s = fmt.Sprintf("%s split equally among those with %s", amount(pool.Amount), who)
	}
	if pool.PerRecipient != nil && pool.Amount != nil {
		s += fmt.Sprintf(", at most %s in all", amount(pool.Amount))
	}
	return pool.Name + ": " + s
}
