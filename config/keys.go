package config

import (
	"reflect"
	"strings"
	"sync"
	"time"
)

// Secret kinds: how a secret value is shown once redacted.
const (
	SecretWhole = "true" // hidden whole: ***
	SecretDSN   = "dsn"  // a database URL: only its password is hidden
	SecretURL   = "url"  // an address: its password, path and query are hidden
)

// Key is one setting of podium.yaml.
type Key struct {
	Section  string // "" for a top-level key
	Name     string // the key within its section, e.g. "metrics_listen"
	Flag     string // the flag that gives the value itself; "" for none
	FileFlag string // the flag that names a file holding the secret; "" for none
	Secret   string // "" or one of SecretWhole, SecretDSN, SecretURL

	typ       reflect.Type
	index     []int // the field in Config
	fileIndex []int // a secret's X_file twin in Config
}

// Path returns the key's full name, e.g. "serve.listen" or "secret".
func (k Key) Path() string {
	if k.Section == "" {
		return k.Name
	}
	return k.Section + "." + k.Name
}

// FileName returns the name of a secret's twin key that names a file
// holding it (e.g. "dsn_file"); "" for a key that is no secret.
func (k Key) FileName() string {
	if k.Secret == "" {
		return ""
	}
	return k.Name + "_file"
}

// Env returns the environment variable that overrides the key:
// PODIUM_<SECTION>_<KEY>, or PODIUM_<KEY> for a top-level key.
func (k Key) Env() string {
	return strings.ToUpper("PODIUM_" + strings.ReplaceAll(k.Path(), ".", "_"))
}

// FileEnv returns the environment variable naming a file that holds the
// secret (Env with _FILE appended); "" for a key that is no secret.
func (k Key) FileEnv() string {
	if k.Secret == "" {
		return ""
	}
	return k.Env() + "_FILE"
}

// Want describes the values the key takes, for error messages.
func (k Key) Want() string {
	switch {
	case k.typ == reflect.TypeFor[time.Duration]():
		return "a duration such as 30s, 5m or 1h30m"
	case k.typ.Kind() == reflect.Bool:
		return "true or false"
	case k.typ.Kind() == reflect.Int || k.typ.Kind() == reflect.Int64:
		return "a whole number"
	case k.typ.Kind() == reflect.Uint64:
		return "a whole number, 0 or more"
	case k.typ.Kind() == reflect.Float64:
		return "a number"
	case k.typ.Kind() == reflect.Slice:
		return "a list of strings"
	}
	return "a string"
}

// Keys returns every key of podium.yaml, top-level keys first, then each
// section's in the order of Config.
func Keys() []Key { return keys() }

var keys = sync.OnceValue(func() []Key {
	var out []Key
	top := reflect.TypeFor[Config]()
	for i := range top.NumField() {
		f := top.Field(i)
		if f.Type.Kind() == reflect.Struct {
			out = append(out, fieldKeys(f.Type, tagName(f), f.Index)...)
		}
	}
	return append(fieldKeys(top, "", nil), out...)
})

// fieldKeys lists the keys of the scalar and list fields of struct t.
func fieldKeys(t reflect.Type, section string, at []int) []Key {
	byName := map[string]int{} // yaml name → field
	twins := map[string]bool{} // the X_file twins of secrets
	for i := range t.NumField() {
		f := t.Field(i)
		byName[tagName(f)] = i
		if f.Tag.Get("secret") != "" {
			twins[tagName(f)+"_file"] = true
		}
	}
	var out []Key
	for i := range t.NumField() {
		f := t.Field(i)
		name := tagName(f)
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Duration]() || twins[name] {
			continue
		}
		k := Key{Section: section, Name: name, Secret: f.Tag.Get("secret"), FileFlag: f.Tag.Get("fileflag"),
			typ: f.Type, index: append(append([]int{}, at...), i)}
		switch flag := f.Tag.Get("flag"); flag {
		case "-":
		case "":
			k.Flag = strings.ReplaceAll(name, "_", "-")
		default:
			k.Flag = flag
		}
		if k.Secret != "" {
			k.fileIndex = append(append([]int{}, at...), byName[name+"_file"])
		}
		out = append(out, k)
	}
	return out
}

// tagName returns the yaml name of field f.
func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// Section returns the keys of section name ("" for the top-level keys).
func Section(name string) []Key {
	var out []Key
	for _, k := range keys() {
		if k.Section == name {
			out = append(out, k)
		}
	}
	return out
}

// Sections returns the names of the sections, in the order of Config.
func Sections() []string {
	var out []string
	for _, k := range keys() {
		if k.Section != "" && (len(out) == 0 || out[len(out)-1] != k.Section) {
			out = append(out, k.Section)
		}
	}
	return out
}
