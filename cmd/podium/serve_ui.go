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

// newUI builds the web UI over the stats store: the leaderboard always, the
// rounds when a program file is given, names when a registry file is, and
// payout status when a directory of payout plans is.
func (m *Main) newUI(st podium.StatsStore, regions []podium.Region, o serveOptions) (http.Handler, error) {
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
			return nil, err
		}
		programs, _, err := programBackend(st) // published versions and frozen snapshots
		if err != nil {
			return nil, err
		}
		rounds := &ui.ProgramRounds{Program: p, Text: text, Stats: st, Registry: cfg.Registry, Versions: programs, Now: m.Now}
		if o.payouts != "" {
			if fi, err := os.Stat(o.payouts); err != nil || !fi.IsDir() {
				return nil, podium.FieldError("--payouts", "%s is not a directory", o.payouts).
					WithHint("pass the directory where `podium payout plan --out` wrote the plans")
			}
			cfg.Payouts = &ui.PlanPayouts{Dir: o.payouts, Program: p.Name}
			rounds.Payouts = cfg.Payouts
		}
		cfg.Rounds = rounds
		cfg.TxURL = explorers[p.Token.ChainID]
	}
	return ui.New(cfg)
}
