package main

import (
	"context"
	"slices"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/config"
)

// configCmd is `podium config`. It parses no flags of its own: those in args
// are the flags of the command asked about.
type configCmd struct {
	m *Main

	self *cobra.Command // the config command, to find the one asked about from its root
	args []string       // the command asked about and its flags
}

func (m *Main) newConfigCmd() *cobra.Command {
	c := &configCmd{m: m}
	return &cobra.Command{
		Use:   "config [--config FILE] [COMMAND… [FLAGS]]",
		Short: "Print the effective configuration, secrets redacted, and where each value came from",
		Long: `Print the settings podium.yaml can hold, as YAML, each with the value in force
and its source: a flag (flag --NAME), an environment variable (env NAME), the
config file (file PATH:LINE) or the default. Secrets are redacted. With a
command (podium config serve, podium config payout plan --rpc URL), only the
keys that command takes are printed, with its own defaults and any flags given
after it; without, every key is.

The config file is --config, else $PODIUM_CONFIG, else ./podium.yaml when it
exists. A file with an unknown key or a value of the wrong type is an error
naming the line. Every key and its environment variable: docs/config.md.`,
		Example: "  podium config\n  podium config --config /etc/podium/podium.yaml serve --listen :8088",
		// The flags are those of the command asked about, parsed below.
		DisableFlagParsing: true,
		// The settings are resolved in RunE, for the command asked about.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, args []string) error {
			c.self, c.args = cmd, args
			return c.Run(cmd.Context())
		},
	}
}

// Run prints the settings of the command args name, or of every key.
func (c *configCmd) Run(context.Context) error {
	m := c.m
	if slices.Contains(c.args, "-h") || slices.Contains(c.args, "--help") {
		return c.self.Help()
	}
	hint := "name a podium command, e.g. `podium config serve`, or none for every key"
	target, rest, err := c.self.Root().Find(c.args)
	if err != nil {
		return podium.Errorf(podium.EINVALID, "config: %w", err).WithHint(hint)
	}
	if target == c.self {
		return podium.Errorf(podium.EINVALID, "config: config has no settings of its own").WithHint(hint)
	}
	if err := target.ParseFlags(rest); err != nil {
		return podium.Errorf(podium.EINVALID, "config %s: %w", target.CommandPath(), err).
			WithHint("give the flags " + target.CommandPath() + " takes (see its --help)")
	}
	var settings []config.Setting
	if !target.Runnable() { // podium, or a group such as payout
		settings, err = m.resolveUnder(target)
	} else {
		settings, err = m.resolve(target)
	}
	if err != nil {
		return err
	}
	return config.Write(c.self.OutOrStdout(), settings)
}

// resolveUnder resolves the keys the commands under group take, each
// default from the first command that has its flag.
func (m *Main) resolveUnder(group *cobra.Command) ([]config.Setting, error) {
	file, err := m.loadConfig(group)
	if err != nil {
		return nil, err
	}
	l := config.Layers{Getenv: m.Getenv, File: file, Defaults: map[string]string{}}
	taken := map[string]bool{}
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		if c.Runnable() {
			c.InheritedFlags() // merge the persistent flags of its parents
			for _, k := range keysOf(c) {
				if !taken[k.Path()] && k.Flag != "" {
					l.Defaults[k.Path()] = flagDefault(c.Flags().Lookup(k.Flag))
				}
				taken[k.Path()] = true
			}
		}
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(group)
	var keys []config.Key
	for _, k := range config.Keys() {
		if taken[k.Path()] {
			keys = append(keys, k)
		}
	}
	return config.Resolve(keys, l)
}
