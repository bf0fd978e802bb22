package program

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/podiumhq/podium"
)

// errAt returns an EINVALID error naming the line of n and the field path.
func errAt(n *yaml.Node, path, format string, args ...any) error {
	return fmt.Errorf("line %d: %w", n.Line, podium.FieldError(path, format, args...))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// object is a YAML mapping whose keys were checked against the known ones.
type object struct {
	node   *yaml.Node
	path   string
	values map[string]*yaml.Node
}

// mapping checks that n is a mapping with no unknown or repeated keys.
func mapping(n *yaml.Node, path string, known ...string) (*object, error) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return nil, errAt(n, path, "must be a mapping of keys to values")
	}
	o := &object{node: n, path: path, values: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !contains(known, k.Value) {
			sorted := append([]string{}, known...)
			sort.Strings(sorted)
			return nil, errAt(k, join(path, k.Value), "unknown key; known keys here: %s", strings.Join(sorted, ", "))
		}
		if _, dup := o.values[k.Value]; dup {
			return nil, errAt(k, join(path, k.Value), "is given twice")
		}
		o.values[k.Value] = deref(v)
	}
	return o, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// get returns the value of key, or nil when it is absent or null.
func (o *object) get(key string) *yaml.Node {
	v := o.values[key]
	if v == nil || v.Tag == "!!null" {
		return nil
	}
	return v
}

func (o *object) required(key string) (*yaml.Node, error) {
	v := o.get(key)
	if v == nil {
		return nil, errAt(o.node, join(o.path, key), "is required")
	}
	return v, nil
}

func (o *object) field(key string) string { return join(o.path, key) }

func scalar(n *yaml.Node, path string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", errAt(n, path, "must be a single value, not a list or mapping")
	}
	return n.Value, nil
}

func (o *object) str(key string, required bool) (string, error) {
	n := o.get(key)
	if n == nil {
		if required {
			return "", errAt(o.node, o.field(key), "is required")
		}
		return "", nil
	}
	return scalar(n, o.field(key))
}

func (o *object) integer(key string, required bool) (int64, bool, error) {
	n := o.get(key)
	if n == nil {
		if required {
			return 0, false, errAt(o.node, o.field(key), "is required")
		}
		return 0, false, nil
	}
	s, err := scalar(n, o.field(key))
	if err != nil {
		return 0, false, err
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false, errAt(n, o.field(key), "%q is not a whole number", s)
	}
	return v, true, nil
}

func (o *object) number(key string) (float64, bool, error) {
	n := o.get(key)
	if n == nil {
		return 0, false, nil
	}
	s, err := scalar(n, o.field(key))
	if err != nil {
		return 0, false, err
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || n.Tag == "!!str" {
		return 0, false, errAt(n, o.field(key), "%q is not a number", s)
	}
	return v, true, nil
}

func (o *object) boolean(key string) (bool, bool, error) {
	n := o.get(key)
	if n == nil {
		return false, false, nil
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return false, false, errAt(n, o.field(key), "%q must be true or false", n.Value)
	}
	v, err := strconv.ParseBool(strings.ToLower(n.Value))
	if err != nil {
		return false, false, errAt(n, o.field(key), "%q must be true or false", n.Value)
	}
	return v, true, nil
}

func (o *object) timestamp(key string) (time.Time, error) {
	n, err := o.required(key)
	if err != nil {
		return time.Time{}, err
	}
	s, err := scalar(n, o.field(key))
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errAt(n, o.field(key), "%q is not a date and time; write RFC 3339 with a zone, e.g. 2020-12-14T15:00:00Z", s)
	}
	return t.UTC(), nil
}

var daysRE = regexp.MustCompile(`^([0-9]+)d$`)

// duration parses Go durations ("48h", "90m") and whole days ("7d").
func (o *object) duration(key string, required bool) (time.Duration, bool, error) {
	n := o.get(key)
	if n == nil {
		if required {
			return 0, false, errAt(o.node, o.field(key), "is required")
		}
		return 0, false, nil
	}
	s, err := scalar(n, o.field(key))
	if err != nil {
		return 0, false, err
	}
	if m := daysRE.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		return time.Duration(d) * 24 * time.Hour, true, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, false, errAt(n, o.field(key), "%q is not a duration; write e.g. 48h, 90m or 7d", s)
	}
	return d, true, nil
}

// amount parses a decimal string of token units into base units; it must
// be greater than zero.
func (o *object) amount(key string, decimals int) (*big.Int, error) {
	n := o.get(key)
	if n == nil {
		return nil, nil
	}
	s, err := scalar(n, o.field(key))
	if err != nil {
		return nil, err
	}
	v, err := podium.ParseAmount(s, decimals)
	if err != nil {
		msg := err.Error()
		var pe *podium.Error
		if errors.As(err, &pe) {
			msg = pe.Message
		}
		return nil, errAt(n, o.field(key), "%s; write token units as a decimal string, e.g. \"7000\" or \"0.5\"", msg)
	}
	if v.Sign() <= 0 {
		return nil, errAt(n, o.field(key), "must be more than zero")
	}
	return v, nil
}

func sequence(n *yaml.Node, path string) ([]*yaml.Node, error) {
	n = deref(n)
	if n.Kind != yaml.SequenceNode {
		return nil, errAt(n, path, "must be a list")
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = deref(c)
	}
	return out, nil
}
