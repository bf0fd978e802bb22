package main

import (
	"net/http"
	"os"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/web/ui"
)

// explorers are the block explorers' transaction URLs by chain id, for the
// payout links of the round pages.
var explorers = map[int64]string{
	1:        "https://etherscan.io/tx/",
	42161:    "https://arbiscan.io/tx/",
	421614:   "https://sepolia.arbiscan.io/tx/",
	11155111: "https://sepolia.etherscan.io/tx/",
}

// webUI is the web UI that serve mounts at "/".
type webUI struct{ h http.Handler }

// mount serves the UI on every path no other route claims.
func (u webUI) mount(mux *http.ServeMux) { mux.Handle("/", u.h) }

// mountAll chains mount hooks; nil hooks are skipped.
func mountAll(hooks ...func(*http.ServeMux)) func(*http.ServeMux) {
	return func(mux *http.ServeMux) {
		for _, h := range hooks {
			if h != nil {
				h(mux)
			}
		}
	}
}

// newUI builds the web UI over the stats store: the leaderboard always, the
// rounds when a program file is given, names when a registry file is, and
// payout status when a directory of payout plans is.
func (m *Main) newUI(st podium.StatsStore, regions []podium.Region, o serveOptions) (webUI, error) {
	cfg := ui.Config{Store: st, Regions: regions, Now: m.Now, Logger: m.Logger}
	if cfg.Regions == nil {
		cfg.Regions = podium.DefaultRegions()
	}
	if o.registry != "" {
		cfg.Registry = &registry.File{Path: o.registry}
	}
	if o.program != "" {
		p, text, err := program.Load(o.program)
		if err != nil {
			return webUI{}, err
		}
		programs, _, err := programBackend(st) // published versions and frozen snapshots
		if err != nil {
			return webUI{}, err
		}
		rounds := &ui.ProgramRounds{Program: p, Text: text, Stats: st, Registry: cfg.Registry, Versions: programs, Now: m.Now}
		if o.payouts != "" {
			if fi, err := os.Stat(o.payouts); err != nil || !fi.IsDir() {
				return webUI{}, podium.FieldError("--payouts", "%s is not a directory", o.payouts).
					WithHint("pass the directory where `podium payout plan --out` wrote the plans")
			}
			cfg.Payouts = &ui.PlanPayouts{Dir: o.payouts, Program: p.Name}
			rounds.Payouts = cfg.Payouts
		}
		cfg.Rounds = rounds
		cfg.TxURL = explorers[p.Token.ChainID]
	}
	h, err := ui.New(cfg)
	return webUI{h}, err
}
