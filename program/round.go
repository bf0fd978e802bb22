package program

import (
	"fmt"
	"math/big"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/podiumhq/podium"
)

func parseRound(n *yaml.Node, path string, p *podium.Program) (podium.Round, error) {
	var r podium.Round
	o, err := mapping(n, path, "id", "start", "end", "snapshot", "budget", "require_verified", "regions", "exclude", "pools")
	if err != nil {
		return r, err
	}
	id, _, err := o.integer("id", true)
	if err != nil {
		return r, err
	}
	if id < 1 {
		return r, errAt(o.get("id"), o.field("id"), "must be a positive round number")
	}
	r.ID = int(id)
	if r.Start, err = o.timestamp("start"); err != nil {
		return r, err
	}
	if r.End, err = o.timestamp("end"); err != nil {
		return r, err
	}
	if !r.End.After(r.Start) {
		return r, errAt(o.get("end"), o.field("end"), "%s is not after start %s", stamp(r.End), stamp(r.Start))
	}
	sn, err := o.required("snapshot")
	if err != nil {
		return r, err
	}
	so, err := mapping(sn, o.field("snapshot"), "at", "window")
	if err != nil {
		return r, err
	}
	if r.Snapshot.At, err = so.timestamp("at"); err != nil {
		return r, err
	}
	if !r.Snapshot.At.After(r.Start) || r.Snapshot.At.After(r.End) {
		return r, errAt(so.get("at"), so.field("at"), "%s must be after the round's start and not after its end (%s – %s)",
			stamp(r.Snapshot.At), stamp(r.Start), stamp(r.End))
	}
	if r.Snapshot.Window, _, err = so.duration("window", true); err != nil {
		return r, err
	}
	if r.Snapshot.Window <= 0 {
		return r, errAt(so.get("window"), so.field("window"), "must be longer than zero")
	}
	if r.Budget, err = o.amount("budget", p.Token.Decimals); err != nil {
		return r, err
	}
	if r.Budget == nil {
		return r, errAt(o.node, o.field("budget"), "is required")
	}
	if r.RequireVerified, _, err = o.boolean("require_verified"); err != nil {
		return r, err
	}
	if err := roundRegions(o, p, &r); err != nil {
		return r, err
	}
	if err := roundExclude(o, p, &r); err != nil {
		return r, err
	}
	pn, err := o.required("pools")
	if err != nil {
		return r, err
	}
	items, err := sequence(pn, o.field("pools"))
	if err != nil {
		return r, err
	}
	if len(items) == 0 {
		return r, errAt(pn, o.field("pools"), "must list at least one pool")
	}
	names := map[string]bool{}
	for i, item := range items {
		pool, err := parsePool(item, index(o.field("pools"), i), p, &r)
		if err != nil {
			return r, err
		}
		if names[pool.Name] {
			return r, errAt(item, index(o.field("pools"), i)+".name", "pool %q is defined twice in this round", pool.Name)
		}
		names[pool.Name] = true
		r.Pools = append(r.Pools, pool)
	}
	return r, checkBudget(o, p, r)
}

// checkBudget rejects a round whose pools could together pay more than its
// budget, whatever the leaderboard says.
func checkBudget(o *object, p *podium.Program, r podium.Round) error {
	sum := new(big.Int)
	var parts []string
	for _, pool := range r.Pools {
		m := pool.Max(&r)
		sum.Add(sum, m)
		parts = append(parts, fmt.Sprintf("%s %s", pool.Name, podium.FormatAmount(m, p.Token.Decimals)))
	}
	if sum.Cmp(r.Budget) > 0 {
		return errAt(o.get("budget"), o.field("budget"),
			"the pools can pay up to %s %s (%s) but the budget is %s; raise the budget or shrink the pools",
			podium.FormatAmount(sum, p.Token.Decimals), p.Token.Symbol, strings.Join(parts, " + "),
			podium.FormatAmount(r.Budget, p.Token.Decimals))
	}
	return nil
}

// exclusions parses a list of {address, reason}; an address already in
// have, or listed twice, is an error.
func exclusions(n *yaml.Node, path string, have []podium.Exclusion) ([]podium.Exclusion, error) {
	items, err := sequence(n, path)
	if err != nil {
		return nil, err
	}
	var out []podium.Exclusion
	for i, item := range items {
		o, err := mapping(item, index(path, i), "address", "reason")
		if err != nil {
			return nil, err
		}
		var e podium.Exclusion
		if e.Address, err = o.str("address", true); err != nil {
			return nil, err
		}
		if !podium.IsAddress(e.Address) {
			return nil, errAt(o.get("address"), o.field("address"), "%q is not a 0x-prefixed 40-hex-digit address", e.Address)
		}
		e.Address = strings.ToLower(e.Address)
		for _, x := range append(append([]podium.Exclusion{}, have...), out...) {
			if x.Address == e.Address {
				return nil, errAt(o.get("address"), o.field("address"), "%s is excluded twice", e.Address)
			}
		}
		if e.Reason, err = o.str("reason", true); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// roundRegions resolves a round's regions: the ones it lists, in program
// order, or else all the program's.
func roundRegions(o *object, p *podium.Program, r *podium.Round) error {
	n := o.get("regions")
	if n == nil {
		r.Regions = append([]podium.Region{}, p.Regions...)
		return nil
	}
	items, err := sequence(n, o.field("regions"))
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return errAt(n, o.field("regions"), "must name at least one region, or be left out for all of the program's")
	}
	want := map[string]bool{}
	known := podium.NewRegionSet(p.Regions)
	for i, item := range items {
		id, err := scalar(item, index(o.field("regions"), i))
		if err != nil {
			return err
		}
		if !known.Has(id) {
			return errAt(item, index(o.field("regions"), i), "unknown region %q; the program's regions are %v", id, p.RegionIDs())
		}
		if want[id] {
			return errAt(item, index(o.field("regions"), i), "region %s is listed twice", id)
		}
		want[id] = true
	}
	for _, reg := range p.Regions {
		if want[reg.ID] {
			r.Regions = append(r.Regions, reg)
		}
	}
	return nil
}

// roundExclude resolves a round's exclusions: the program's and its own.
func roundExclude(o *object, p *podium.Program, r *podium.Round) error {
	r.Exclude = append([]podium.Exclusion{}, p.Exclude...)
	n := o.get("exclude")
	if n == nil {
		return nil
	}
	own, err := exclusions(n, o.field("exclude"), p.Exclude)
	r.Exclude = append(r.Exclude, own...)
	return err
}
