package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/registry"
)

func (m *Main) newDevchainCmd() *cobra.Command {
	var (
		listen, out, dir, registryFile string
		blockTime                      time.Duration
	)
	cmd := &cobra.Command{
		Use:   "devchain",
		Short: "Run a local go-ethereum chain with a test LPT token, for demos and tests",
		Long: `Runs a real go-ethereum chain on loopback (developer mode, mines on its own) and
deploys a test LPT token, the batch payer, a Livepeer-shaped Controller,
BondingManager pool and ServiceRegistry seeded with orchestrators (from
--registry, a registry CSV file), and Multicall3. It writes an encrypted
keystore and a passphrase file for a funded admin into --dir and, with --out,
a JSON description of the chain. It runs until interrupted; its state is
in memory only.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg := devchain.Config{Listen: listen, BlockTime: blockTime, Dir: dir, Logger: m.Logger}
			if cfg.Dir == "" {
				cfg.Dir = "devchain"
				if out != "" {
					cfg.Dir = filepath.Join(filepath.Dir(out), "devchain")
				}
			}
			if registryFile != "" {
				var err error
				if cfg.Orchestrators, err = (&registry.File{Path: registryFile}).Orchestrators(ctx); err != nil {
					return err
				}
			}
			c, err := devchain.Start(ctx, cfg)
			if err != nil {
				return err
			}
			defer c.Close()
			info, _ := json.MarshalIndent(c.Info(), "", "  ")
			if out != "" {
				if err := os.WriteFile(out, append(info, '\n'), 0o644); err != nil {
					return podium.FieldError("out", "%v", err)
				}
			} else {
				fmt.Fprintf(m.Stdout, "%s\n", info)
			}
			m.ready("devchain", c.RPC)
			<-ctx.Done()
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:8545", "JSON-RPC HTTP address (host:port; port 0 picks one)")
	f.StringVar(&out, "out", "", "write the chain's addresses, admin keystore and passphrase file paths as JSON here")
	f.DurationVar(&blockTime, "block-time", 0, "time between blocks, whole seconds; 0 mines each transaction at once")
	f.StringVar(&dir, "dir", "", "directory for the admin keystore and passphrase (default: devchain/ next to --out)")
	f.StringVar(&registryFile, "registry", "", "orchestrators to register: CSV address,service_uri,name,payout_address")
	return cmd
}
