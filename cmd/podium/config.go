package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/config"
)

// defaultConfig is the config file read, when present, if neither --config
// nor $PODIUM_CONFIG names one.
const defaultConfig = "podium.yaml"

// sectionsOf names the sections of podium.yaml each subcommand takes ("" is
// the top level: the HMAC secret). A subcommand not listed takes none.
var sectionsOf = map[string][]string{
	"serve":    {"", "db", "serve"},
	"post":     {""},
	"probe":    {"", "probe"},
	"import":   {"db"},
	"program":  {"db"},
	"snapshot": {"db"},
	"report":   {"db"},
	"node":     {"node"},
	"payout":   {"payout"},
	"sender":   {"sender"},
	"verify":   {"verify"},
	"registry": {"registry"},
	"devchain": {"devchain"},
	"demo":     {"demo"},
}

// configure resolves the settings of cmd from its flags, the environment
// and the config file, and sets each flag the user did not give to the
// value found, so the command reads its flags as it always has. It keeps
// the settings for the secrets no flag holds (m.setting).
func (m *Main) configure(cmd *cobra.Command) error {
	settings, err := m.resolve(cmd)
	if err != nil {
		return err
	}
	for _, s := range settings {
		if s.Key.Flag == "" || !s.Set() || strings.HasPrefix(s.Source, "flag ") {
			continue
		}
		if err := cmd.Flags().Set(s.Key.Flag, s.Value); err != nil {
			if s.Key.Secret != "" {
				return podium.Errorf(podium.EINVALID, "%s: %s: not a valid --%s", s.Source, s.Key.Path(), s.Key.Flag)
			}
			return podium.Errorf(podium.EINVALID, "%s: %s: %w", s.Source, s.Key.Path(), err)
		}
	}
	m.settings = settings
	return nil
}

// resolve resolves the keys cmd takes.
func (m *Main) resolve(cmd *cobra.Command) ([]config.Setting, error) {
	file, err := m.loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	keys := keysOf(cmd)
	l := config.Layers{Flags: map[string]string{}, Getenv: m.Getenv, File: file, Defaults: map[string]string{}}
	for _, k := range keys {
		if f := cmd.Flags().Lookup(k.Flag); k.Flag != "" && f != nil {
			l.Defaults[k.Path()] = flagDefault(f)
			if f.Changed {
				l.Flags[k.Path()] = flagValue(f)
			}
		}
		if f := cmd.Flags().Lookup(k.FileFlag); k.FileFlag != "" && f != nil && f.Changed {
			l.Flags[k.Path()] = f.Value.String()
		}
	}
	return config.Resolve(keys, l)
}

// loadConfig reads the config file: --config, else $PODIUM_CONFIG, else
// ./podium.yaml when it exists; nil when there is none.
func (m *Main) loadConfig(cmd *cobra.Command) (*config.File, error) {
	path, _ := cmd.Flags().GetString("config")
	if path == "" {
		path = m.Getenv("PODIUM_CONFIG")
	}
	if path == "" {
		if _, err := os.Stat(defaultConfig); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		path = defaultConfig
	}
	return config.Load(path)
}

// keysOf lists the keys of podium.yaml that cmd takes: those of its
// sections that it has a flag for.
func keysOf(cmd *cobra.Command) []config.Key {
	var out []config.Key
	for _, sec := range sectionsOf[topName(cmd)] {
		for _, k := range config.Section(sec) {
			if cmd.Flags().Lookup(k.Flag) != nil || cmd.Flags().Lookup(k.FileFlag) != nil {
				out = append(out, k)
			}
		}
	}
	return out
}

// topName returns the name of the subcommand of podium that cmd is, or is
// under ("payout" for `podium payout plan`).
func topName(cmd *cobra.Command) string {
	for cmd.HasParent() && cmd.Parent().HasParent() {
		cmd = cmd.Parent()
	}
	return cmd.Name()
}

// setting returns the resolved value of the key at path ("secret"), "" when
// it is unset or the command does not take it.
func (m *Main) setting(path string) string {
	for _, s := range m.settings {
		if s.Key.Path() == path {
			return s.Value
		}
	}
	return ""
}

// flagValue returns f's value as its Set takes it (a list comma-separated).
func flagValue(f *pflag.Flag) string {
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		return strings.Join(sv.GetSlice(), ",")
	}
	return f.Value.String()
}

// flagDefault returns f's default as its Set takes it.
func flagDefault(f *pflag.Flag) string {
	if _, ok := f.Value.(pflag.SliceValue); ok {
		return strings.TrimSuffix(strings.TrimPrefix(f.DefValue, "["), "]")
	}
	return f.DefValue
}
