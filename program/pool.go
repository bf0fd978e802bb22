package program

import (
	"gopkg.in/yaml.v3"

	"github.com/podiumhq/podium"
)

func parsePool(n *yaml.Node, path string, p *podium.Program, r *podium.Round) (podium.Pool, error) {
	var pool podium.Pool
	o, err := mapping(n, path, "name", "amount", "split", "per_recipient", "eligible")
	if err != nil {
		return pool, err
	}
	if pool.Name, err = o.str("name", true); err != nil {
		return pool, err
	}
	if !nameRE.MatchString(pool.Name) {
		return pool, errAt(o.get("name"), o.field("name"), "%q must be lower case letters, digits, '.', '_' or '-'", pool.Name)
	}
	if pool.Amount, err = o.amount("amount", p.Token.Decimals); err != nil {
		return pool, err
	}
	if pool.PerRecipient, err = o.amount("per_recipient", p.Token.Decimals); err != nil {
		return pool, err
	}
	if pool.Split, err = o.str("split", false); err != nil {
		return pool, err
	}
	switch {
	case pool.PerRecipient != nil && pool.Split != "":
		return pool, errAt(o.get("split"), o.field("split"), "a pool either splits an amount or pays per_recipient, not both")
	case pool.PerRecipient == nil && pool.Split == "":
		return pool, errAt(o.node, path, "say how the pool pays: amount with split: equal|proportional, or per_recipient")
	case pool.Split != "" && pool.Split != podium.SplitEqual && pool.Split != podium.SplitProportional:
		return pool, errAt(o.get("split"), o.field("split"), "%q is not a split; use equal or proportional", pool.Split)
	case pool.Split != "" && pool.Amount == nil:
		return pool, errAt(o.node, o.field("amount"), "is required with split: %s", pool.Split)
	}
	pool.Eligible = podium.Eligibility{Regions: podium.RegionScope{Mode: podium.ScopeAny}, RequireVerified: r.RequireVerified}
	if en := o.get("eligible"); en != nil {
		if err := parseEligible(en, o.field("eligible"), r, &pool.Eligible); err != nil {
			return pool, err
		}
	}
	e := pool.Eligible
	switch {
	case e.Top > 0 && pool.PerRecipient == nil:
		return pool, errAt(o.get("eligible"), o.field("eligible")+".top", "top applies to per_recipient pools only")
	case e.Top > 0 && e.Per != "region":
		return pool, errAt(o.get("eligible"), o.field("eligible")+".per", "top needs per: region (ranking is within a region)")
	case e.Per != "" && e.Top == 0:
		return pool, errAt(o.get("eligible"), o.field("eligible")+".top", "per: %s needs top: N", e.Per)
	case pool.PerRecipient != nil && e.Top == 0 && pool.Amount == nil:
		return pool, errAt(o.get("per_recipient"), o.field("per_recipient"),
			"without a bound this pool could pay any number of orchestrators; add eligible.top with per: region, or an amount as a cap")
	}
	return pool, nil
}

func parseEligible(n *yaml.Node, path string, r *podium.Round, e *podium.Eligibility) error {
	o, err := mapping(n, path, "min_score", "regions", "top", "per", "require_verified")
	if err != nil {
		return err
	}
	if e.MinScore, _, err = o.number("min_score"); err != nil {
		return err
	}
	if e.MinScore < 0 || e.MinScore > 10 {
		return errAt(o.get("min_score"), o.field("min_score"), "%v is outside the 0–10 score scale", e.MinScore)
	}
	if rn := o.get("regions"); rn != nil {
		if e.Regions, err = parseScope(rn, o.field("regions"), r); err != nil {
			return err
		}
	}
	top, ok, err := o.integer("top", false)
	if err != nil {
		return err
	}
	if ok && top < 1 {
		return errAt(o.get("top"), o.field("top"), "must be at least 1")
	}
	e.Top = int(top)
	if e.Per, err = o.str("per", false); err != nil {
		return err
	}
	if e.Per != "" && e.Per != "region" {
		return errAt(o.get("per"), o.field("per"), "%q is not supported; the only ranking unit is region", e.Per)
	}
	if v, ok, err := o.boolean("require_verified"); err != nil {
		return err
	} else if ok {
		e.RequireVerified = v
	}
	return nil
}

func parseScope(n *yaml.Node, path string, r *podium.Round) (podium.RegionScope, error) {
	known := podium.NewRegionSet(r.Regions)
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case podium.ScopeAny, podium.ScopeAll:
			return podium.RegionScope{Mode: n.Value}, nil
		}
		return podium.RegionScope{}, errAt(n, path, "%q must be any, all or a list of region ids", n.Value)
	}
	items, err := sequence(n, path)
	if err != nil {
		return podium.RegionScope{}, err
	}
	if len(items) == 0 {
		return podium.RegionScope{}, errAt(n, path, "must name at least one region")
	}
	s := podium.RegionScope{Mode: podium.ScopeList}
	for i, item := range items {
		id, err := scalar(item, index(path, i))
		if err != nil {
			return s, err
		}
		if !known.Has(id) {
			return s, errAt(item, index(path, i), "unknown region %q; the round's regions are %v", id, r.RegionIDs())
		}
		if contains(s.IDs, id) {
			return s, errAt(item, index(path, i), "region %s is listed twice", id)
		}
		s.IDs = append(s.IDs, id)
	}
	return s, nil
}
