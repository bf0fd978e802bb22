// Package program reads program files (docs/design.md §5.3): strict YAML whose every
// error names the line and field at fault, checked so that a round can
// never pay more than its budget. It also decides whether a new version of
// a program may be published (the notice rule).
package program

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
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
		return nil, nil, podium.Errorf(podium.EINVALID, "read program file: %w", err).
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
	var doc, more yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, podium.Errorf(podium.EINVALID, "not valid YAML: %w", err)
	}
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, podium.Errorf(podium.EINVALID, "line %d: a program file holds one YAML document; remove the second", more.Line)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, podium.Errorf(podium.EINVALID, "the program file is empty")
	}
	root, err := mapping(doc.Content[0], "", "program", "token", "admin", "notice", "regions", "exclude", "rounds", "testing")
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
	if err := parseTesting(root, p); err != nil {
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
