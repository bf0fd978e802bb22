// Package program reads program files (design §7): strict YAML whose every
// error names the line and field at fault, checked so that a round can
// never pay more than its budget. It also decides whether a new version of
// a program may be published (the notice rule).
package program

import (
	"fmt"
	"math/big"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/podiumhq/podium"
)

var (
	nameRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	regionRE = regexp.MustCompile(`^[A-Z0-9]{2,16}$`)
)

// Load reads and parses the program file at path.
func Load(path string) (*podium.Program, []byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, podium.Errorf(podium.EINVALID, "read program file: %v", err).
			WithHint("pass the program's YAML file with --program FILE")
	}
	p, err := Parse(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, b, nil
}

// Parse parses and checks a program file.
func Parse(b []byte) (*podium.Program, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, podium.Errorf(podium.EINVALID, "not valid YAML: %v", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, podium.Errorf(podium.EINVALID, "the program file is empty")
	}
	root, err := mapping(doc.Content[0], "", "program", "token", "admin", "notice", "regions", "exclude", "rounds")
	if err != nil {
		return nil, err
	}
	p := &podium.Program{}
	if p.Name, err = root.str("program", true); err != nil {
		return nil, err
	}
	if !nameRE.MatchString(p.Name) {
		return nil, errAt(root.get("program"), "program", "%q must be lower case letters, digits, '.', '_' or '-'", p.Name)
	}
	if err := parseToken(root, p); err != nil {
		return nil, err
	}
	if p.Admin, err = root.str("admin", false); err != nil {
		return nil, err
	}
	if p.Notice, _, err = root.duration("notice", false); err != nil {
		return nil, err
	}
	if err := parseRegions(root, p); err != nil {
		return nil, err
	}
	if err := parseExclude(root, p); err != nil {
		return nil, err
	}
	if err := parseRounds(root, p); err != nil {
		return nil, err
	}
	return p, nil
}

func parseToken(root *object, p *podium.Program) error {
	n, err := root.required("token")
	if err != nil {
		return err
	}
	o, err := mapping(n, "token", "symbol", "decimals", "chain_id", "address")
	if err != nil {
		return err
	}
	if p.Token.Symbol, err = o.str("symbol", true); err != nil {
		return err
	}
	dec, _, err := o.integer("decimals", true)
	if err != nil {
		return err
	}
	if dec < 0 || dec > podium.MaxDecimals {
		return errAt(o.get("decimals"), "token.decimals", "must be between 0 and %d", podium.MaxDecimals)
	}
	p.Token.Decimals = int(dec)
	if p.Token.ChainID, _, err = o.integer("chain_id", false); err != nil {
		return err
	}
	if p.Token.ChainID < 0 {
		return errAt(o.get("chain_id"), "token.chain_id", "must be positive")
	}
	if p.Token.Address, err = o.str("address", false); err != nil {
		return err
	}
	if p.Token.Address != "" && !podium.IsAddress(p.Token.Address) {
		return errAt(o.get("address"), "token.address", "%q is not a 0x-prefixed 40-hex-digit address", p.Token.Address)
	}
	return nil
}

func parseRegions(root *object, p *podium.Program) error {
	n, err := root.required("regions")
	if err != nil {
		return err
	}
	items, err := sequence(n, "regions")
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return errAt(n, "regions", "must list at least one region")
	}
	seen := map[string]bool{}
	for i, item := range items {
		path := index("regions", i)
		o, err := mapping(item, path, "id", "name", "type")
		if err != nil {
			return err
		}
		var r podium.Region
		if r.ID, err = o.str("id", true); err != nil {
			return err
		}
		if !regionRE.MatchString(r.ID) {
			return errAt(o.get("id"), o.field("id"), "%q must be 2 to 16 upper case letters or digits", r.ID)
		}
		if seen[r.ID] {
			return errAt(o.get("id"), o.field("id"), "region %s is listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.Name, err = o.str("name", true); err != nil {
			return err
		}
		if r.Type, err = o.str("type", false); err != nil {
			return err
		}
		p.Regions = append(p.Regions, r)
	}
	return nil
}

func parseExclude(root *object, p *podium.Program) error {
	n := root.get("exclude")
	if n == nil {
		return nil
	}
	list, err := exclusions(n, "exclude", nil)
	p.Exclude = list
	return err
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

func parseRounds(root *object, p *podium.Program) error {
	n, err := root.required("rounds")
	if err != nil {
		return err
	}
	items, err := sequence(n, "rounds")
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return errAt(n, "rounds", "must list at least one round")
	}
	starts := map[int]*yaml.Node{}
	for i, item := range items {
		r, err := parseRound(item, index("rounds", i), p)
		if err != nil {
			return err
		}
		if _, err := p.Round(r.ID); err == nil {
			return errAt(item, index("rounds", i)+".id", "round %d is defined twice", r.ID)
		}
		p.Rounds = append(p.Rounds, r)
		starts[r.ID] = item
	}
	sorted := append([]podium.Round{}, p.Rounds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Start.Before(sorted[j].Start) })
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1], sorted[i]
		if b.Start.Before(a.End) {
			pos := 0
			for j := range p.Rounds {
				if p.Rounds[j].ID == b.ID {
					pos = j
				}
			}
			return errAt(starts[b.ID], index("rounds", pos)+".start",
				"round %d (%s – %s) overlaps round %d (%s – %s); rounds must not overlap",
				b.ID, stamp(b.Start), stamp(b.End), a.ID, stamp(a.Start), stamp(a.End))
		}
	}
	return nil
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }

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
