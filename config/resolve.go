package config

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/podiumhq/podium"
)

// Layers are where a setting may come from, in order of precedence: a
// flag, then the environment, then the file, then the default.
type Layers struct {
	// Flags holds the values given on the command line, by key path. For a
	// secret given by its file flag (--secret-file), the value is the path
	// of that file.
	Flags    map[string]string
	Getenv   func(string) string
	File     *File // nil when there is no config file
	Defaults map[string]string
}

// Setting is one key resolved: its value and where the value came from.
type Setting struct {
	Key    Key
	Value  string // a list is comma-separated, as its flag takes it
	Source string // "default", "file PATH:LINE [X_file]", "env NAME" or "flag --NAME"
}

// Set reports whether the value came from anywhere but the default.
func (s Setting) Set() bool { return s.Source != "default" }

// Shown returns the value as it may be printed: a secret redacted.
func (s Setting) Shown() string { return Redact(s.Key.Secret, s.Value) }

// Resolve resolves keys from l. A secret given as a file is read here, so
// the value is what the file holds, trimmed of surrounding white space.
func Resolve(keys []Key, l Layers) ([]Setting, error) {
	out := make([]Setting, 0, len(keys))
	for _, k := range keys {
		s, err := resolve(k, l)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func resolve(k Key, l Layers) (Setting, error) {
	s := Setting{Key: k}
	var err error
	if v, ok := l.Flags[k.Path()]; ok {
		if k.FileFlag != "" {
			s.Source = "flag --" + k.FileFlag
			s.Value, err = readSecret(v, s.Source)
		} else {
			s.Source, s.Value = "flag --"+k.Flag, v
		}
		return s, err
	}
	if l.Getenv != nil {
		if name := k.FileEnv(); name != "" && l.Getenv(name) != "" {
			s.Source = "env " + name
			s.Value, err = readSecret(l.Getenv(name), s.Source)
			return s, err
		}
		if v := l.Getenv(k.Env()); v != "" {
			s.Source, s.Value = "env "+k.Env(), v
			return s, k.check(v, s.Source)
		}
	}
	if line := l.File.Line(k.Path()); line != 0 {
		s.Source = fmt.Sprintf("file %s:%d", l.File.Path, line)
		s.Value = format(reflect.ValueOf(l.File.Config).FieldByIndex(k.index))
		return s, nil
	}
	if line := l.File.Line(twinPath(k)); k.Secret != "" && line != 0 {
		s.Source = fmt.Sprintf("file %s:%d %s", l.File.Path, line, k.FileName())
		s.Value, err = readSecret(reflect.ValueOf(l.File.Config).FieldByIndex(k.fileIndex).String(), s.Source)
		return s, err
	}
	s.Source, s.Value = "default", l.Defaults[k.Path()]
	return s, nil
}

// readSecret reads the secret in the file at path, named by from in errors.
func readSecret(path, from string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", podium.Errorf(podium.EINVALID, "%s: cannot read the secret's file: %w", from, err).
			WithHint("point it at a readable file that holds the secret")
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", podium.Errorf(podium.EINVALID, "%s: %s is empty", from, path).
			WithHint("write the secret into the file, or unset it")
	}
	return v, nil
}

// check checks v, a value from from, as k's. It never quotes a secret.
func (k Key) check(v, from string) error {
	var err error
	switch {
	case k.typ == reflect.TypeFor[time.Duration]():
		_, err = time.ParseDuration(v)
	case k.typ.Kind() == reflect.Bool:
		_, err = strconv.ParseBool(v)
	case k.typ.Kind() == reflect.Int || k.typ.Kind() == reflect.Int64:
		_, err = strconv.ParseInt(v, 10, 64)
	case k.typ.Kind() == reflect.Uint64:
		_, err = strconv.ParseUint(v, 10, 64)
	case k.typ.Kind() == reflect.Float64:
		_, err = strconv.ParseFloat(v, 64)
	}
	if err == nil {
		return nil
	}
	if k.Secret != "" {
		return podium.Errorf(podium.EINVALID, "%s: want %s", from, k.Want())
	}
	return podium.Errorf(podium.EINVALID, "%s: %q: want %s", from, v, k.Want()).WithHint("fix or unset it")
}

// format renders a field's value as its flag takes it.
func format(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case time.Duration:
		return x.String()
	case []string:
		return strings.Join(x, ",")
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v.Interface())
}
