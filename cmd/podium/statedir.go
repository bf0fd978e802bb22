package main

import (
	"path/filepath"

	"github.com/podiumhq/podium"
)

// stateDir returns podium's directory for state kept between runs (the
// prober's spool), as the XDG Base Directory specification places it:
// $XDG_STATE_HOME/podium, else $HOME/.local/state/podium. Never the working
// directory, so a run inside a checkout leaves the checkout clean.
func (m *Main) stateDir() (string, error) {
	if d := m.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "podium"), nil
	}
	if h := m.Getenv("HOME"); filepath.IsAbs(h) {
		return filepath.Join(h, ".local", "state", "podium"), nil
	}
	return "", podium.Errorf(podium.EINVALID, "no state directory: neither $XDG_STATE_HOME nor $HOME is an absolute path").
		WithHint("set HOME, or pass the directory explicitly (for the prober: --spool DIR)")
}
