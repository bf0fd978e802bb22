package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/podiumhq/podium"
)

// File is a podium.yaml as read: its settings and the line of each key
// it sets.
type File struct {
	Path   string
	Config Config
	lines  map[string]int // key path ("serve.listen", "db.dsn_file") → line
}

// Line returns the line that sets the key at path ("serve.listen"), or 0.
func (f *File) Line(path string) int {
	if f == nil {
		return 0
	}
	return f.lines[path]
}

// Load reads and checks the config file at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		hint := "check the path given by --config or $PODIUM_CONFIG"
		if errors.Is(err, fs.ErrNotExist) {
			hint = "create it (see podium.example.yaml), or point --config or $PODIUM_CONFIG at the right file"
		}
		return nil, podium.Errorf(podium.EINVALID, "config file: %w", err).WithHint(hint)
	}
	return Parse(path, data)
}

// Parse checks data, the content of the config file named path: every key
// must be known and every value of its key's type. The first fault found
// is returned, naming the file, the line and the key.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path, lines: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, podium.Errorf(podium.EINVALID, "%s", yamlError(path, err)).WithHint("fix the YAML syntax there")
	}
	if len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" {
		return f, nil // an empty file sets nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, f.fault(root, "want a mapping of keys and sections (secret:, db:, serve:, …)", topHint())
	}
	if err := f.walk(root); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f.Config); err != nil {
		// The walk has caught what it knows to; this is the backstop.
		return nil, podium.Errorf(podium.EINVALID, "%s", yamlError(path, err)).
			WithHint("fix the value at that line; `podium config` lists every key")
	}
	return f, nil
}

// yamlLine is the line yaml.v3 puts at the start of its messages.
var yamlLine = regexp.MustCompile(`^line (\d+): `)

// yamlError words err, from yaml.v3, as PATH:LINE: what.
func yamlError(path string, err error) string {
	msg := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "yaml: "), "unmarshal errors:\n  ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return path + ":" + m[1] + ": " + msg[len(m[0]):]
	}
	return path + ": " + msg
}

// walk checks every key of the document against Keys and records its line.
func (f *File) walk(root *yaml.Node) error {
	top := byName("")
	sections := Sections()
	for i := 0; i+1 < len(root.Content); i += 2 {
		name, val := root.Content[i], root.Content[i+1]
		if k, ok := top[name.Value]; ok {
			if err := f.check(k, name, val); err != nil {
				return err
			}
			continue
		}
		if !slices.Contains(sections, name.Value) {
			hint := topHint()
			if near := suggest(name.Value, append(validNames(""), sections...)); near != "" {
				hint = fmt.Sprintf("did you mean %s? ", near) + hint
			}
			return f.fault(name, fmt.Sprintf("unknown key %q", name.Value), hint)
		}
		if val.Tag == "!!null" {
			continue
		}
		if val.Kind != yaml.MappingNode {
			return f.fault(val, fmt.Sprintf("%s: want a section of keys (%s)", name.Value, strings.Join(validNames(name.Value), ", ")),
				"write the section as `"+name.Value+":` followed by indented `key: value` lines")
		}
		keys := byName(name.Value)
		for j := 0; j+1 < len(val.Content); j += 2 {
			kn, kv := val.Content[j], val.Content[j+1]
			k, ok := keys[kn.Value]
			if !ok {
				hint := fmt.Sprintf("the keys of %s are %s", name.Value, strings.Join(validNames(name.Value), ", "))
				if near := suggest(kn.Value, validNames(name.Value)); near != "" {
					hint = fmt.Sprintf("did you mean %s? ", near) + hint
				}
				return f.fault(kn, fmt.Sprintf("%s: unknown key %q", name.Value, kn.Value), hint)
			}
			if err := f.check(k, kn, kv); err != nil {
				return err
			}
		}
	}
	return nil
}

// check checks the value v of key k (or of its X_file twin, named by name)
// and records its line.
func (f *File) check(k Key, name, v *yaml.Node) error {
	path := k.Path()
	if name.Value != k.Name { // the X_file twin: a path
		path = k.Section + "." + name.Value
		if k.Section == "" {
			path = name.Value
		}
		if v.Kind != yaml.ScalarNode {
			return f.fault(v, path+": want the path of a file holding "+k.Path(), "")
		}
	} else if msg := badValue(k, v); msg != "" {
		return f.fault(v, path+": "+msg, "")
	}
	if v.Tag == "!!null" {
		return nil // `key:` with no value sets nothing
	}
	if prior, ok := f.lines[path]; ok {
		return f.fault(name, fmt.Sprintf("%s: set again (first on line %d)", path, prior), "keep one of them")
	}
	f.lines[path] = name.Line
	if k.Secret != "" && f.lines[k.Path()] != 0 && f.lines[twinPath(k)] != 0 {
		return f.fault(name, fmt.Sprintf("%s: give %s or %s, not both", k.sectionLabel(), k.Name, k.FileName()), "")
	}
	return nil
}

// badValue says what is wrong with v as the value of k; "" when nothing is.
// It never quotes a secret's value.
func badValue(k Key, v *yaml.Node) string {
	if v.Tag == "!!null" {
		return ""
	}
	want := "want " + k.Want()
	if k.typ.Kind() == reflect.Slice {
		if v.Kind != yaml.SequenceNode {
			return want + ", e.g. [a, b]"
		}
		for _, e := range v.Content {
			if e.Kind != yaml.ScalarNode {
				return want
			}
		}
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		return want
	}
	got := ""
	if k.Secret == "" {
		got = fmt.Sprintf("%q: ", v.Value)
	}
	switch {
	case k.typ == reflect.TypeFor[time.Duration]():
		if _, err := time.ParseDuration(v.Value); err != nil || v.Tag != "!!str" {
			return got + want
		}
	case k.typ.Kind() == reflect.Bool:
		if v.Tag != "!!bool" {
			return got + want
		}
	case k.typ.Kind() == reflect.Int || k.typ.Kind() == reflect.Int64 || k.typ.Kind() == reflect.Uint64:
		if v.Tag != "!!int" || k.typ.Kind() == reflect.Uint64 && strings.HasPrefix(v.Value, "-") {
			return got + want
		}
	case k.typ.Kind() == reflect.Float64:
		if v.Tag != "!!int" && v.Tag != "!!float" {
			return got + want
		}
	}
	return ""
}

// fault returns the error for the node at fault.
func (f *File) fault(n *yaml.Node, msg, hint string) error {
	err := podium.Errorf(podium.EINVALID, "%s:%d: %s", f.Path, n.Line, msg)
	if hint == "" {
		hint = "fix that line; `podium config` prints every key and its value"
	}
	return err.WithHint(hint)
}

func (k Key) sectionLabel() string {
	if k.Section == "" {
		return "top level"
	}
	return k.Section
}

func twinPath(k Key) string {
	if k.Section == "" {
		return k.FileName()
	}
	return k.Section + "." + k.FileName()
}

// byName maps each key of section, and each secret's X_file twin, to its Key.
func byName(section string) map[string]Key {
	out := map[string]Key{}
	for _, k := range Section(section) {
		out[k.Name] = k
		if k.Secret != "" {
			out[k.FileName()] = k
		}
	}
	return out
}

// validNames lists the keys section takes, twins included, in order.
func validNames(section string) []string {
	var out []string
	for _, k := range Section(section) {
		out = append(out, k.Name)
		if k.Secret != "" {
			out = append(out, k.FileName())
		}
	}
	return out
}

func topHint() string {
	return "the top level takes " + strings.Join(validNames(""), ", ") + " and the sections " + strings.Join(Sections(), ", ")
}
