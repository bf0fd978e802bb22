package ui

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
)

// describePool says in a sentence who pool pays and how much.
func describePool(pool podium.Pool, tok podium.Token, verified bool) string {
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

// rulesVersions returns every published version in which round id's rules
// changed, oldest first; the loaded file alone when none was published.
func (p *ProgramRounds) rulesVersions(ctx context.Context, id int) ([]RulesVersion, error) {
	var published []podium.ProgramVersion
	if p.Versions != nil {
		var err error
		published, err = p.Versions.ProgramVersions(ctx, p.Program.Name)
		if err != nil && podium.ErrorCode(err) != podium.ENOTFOUND {
			return nil, err
		}
	}
	var out []RulesVersion
	for _, v := range published {
		prog, err := program.Parse(v.Text)
		if err != nil {
			return nil, err
		}
		rv, err := rulesVersion(prog, id, v.Text, v.PublishedAt)
		if podium.ErrorCode(err) == podium.ENOTFOUND {
			continue // this version had no such round
		} else if err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != rv.ID {
			out = append(out, rv)
		}
	}
	if len(out) == 0 {
		rv, err := rulesVersion(p.Program, id, p.Text, time.Time{})
		if err != nil {
			return nil, err
		}
		out = append(out, rv)
	}
	return out, nil
}

func rulesVersion(prog *podium.Program, id int, text []byte, at time.Time) (RulesVersion, error) {
	doc, err := prog.Rules(id)
	if err != nil {
		return RulesVersion{}, err
	}
	canon, err := podium.CanonicalJSON(doc)
	if err != nil {
		return RulesVersion{}, err
	}
	return RulesVersion{ID: podium.ContentID(canon), PublishedAt: at, Text: string(text), Canonical: string(canon)}, nil
}
