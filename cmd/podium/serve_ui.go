package main

import (
	"net/http"

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
// rounds when a program file is given, names when a registry file is.
func (m *Main) newUI(st podium.StatsStore, regions []podium.Region, programFile, registryFile string) (http.Handler, error) {
	cfg := ui.Config{Store: st, Regions: regions, Now: m.Now, Logger: m.Logger}
	if cfg.Regions == nil {
		cfg.Regions = podium.DefaultRegions()
	}
	if registryFile != "" {
		cfg.Registry = &registry.File{Path: registryFile}
	}
	if programFile != "" {
		p, text, err := program.Load(programFile)
		if err != nil {
			return nil, err
		}
		rounds := &ui.ProgramRounds{Program: p, Text: text, Stats: st, Registry: cfg.Registry, Now: m.Now}
		if ps, ok := st.(podium.ProgramStore); ok {
			rounds.Versions = ps // published versions and frozen snapshots
		}
		cfg.Rounds = rounds
		cfg.TxURL = explorers[p.Token.ChainID]
	}
	return ui.New(cfg)
}
