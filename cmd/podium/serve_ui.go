package main

import (
	"net/http"

	"github.com/podiumhq/podium"
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
// rounds (from the program service's round service, as the API answers)
// when a program file is given, and names when a registry file is.
func (m *Main) newUI(st podium.StatsStore, regions []podium.Region, o serveOptions, prog *programService) (http.Handler, error) {
	cfg := ui.Config{Store: st, Regions: regions, Now: m.Now, Logger: m.Logger}
	if cfg.Regions == nil {
		cfg.Regions = podium.DefaultRegions()
	}
	if o.registry != "" {
		cfg.Registry = &registry.File{Path: o.registry}
	}
	if prog != nil {
		cfg.Rounds = prog.rounds
		cfg.TxURL = explorers[prog.rounds.Program.Token.ChainID]
	}
	return ui.New(cfg)
}
