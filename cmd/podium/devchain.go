package main

import (
	"context"
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

// devchainCmd is `podium devchain`.
type devchainCmd struct {
	m *Main

	listen, out, dir, registryFile string
	blockTime                      time.Duration
}

func (m *Main) newDevchainCmd() *cobra.Command {
	c := &devchainCmd{m: m}
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
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.listen, "listen", "127.0.0.1:8545", "JSON-RPC HTTP address (host:port; port 0 picks one)")
	f.StringVar(&c.out, "out", "", "write the chain's addresses, admin keystore and passphrase file paths as JSON here")
	f.DurationVar(&c.blockTime, "block-time", 0, "time between blocks, whole seconds; 0 mines each transaction at once")
	f.StringVar(&c.dir, "dir", "", "directory for the admin keystore and passphrase (default: devchain/ next to --out)")
	f.StringVar(&c.registryFile, "registry", "", "orchestrators to register: CSV address,service_uri,name,payout_address")
	return cmd
}

// Run runs the chain until ctx is done.
func (c *devchainCmd) Run(ctx context.Context) error {
	m := c.m
	cfg := devchain.Config{Listen: c.listen, BlockTime: c.blockTime, Dir: c.dir, Logger: m.Logger}
	if cfg.Dir == "" {
		cfg.Dir = "devchain"
		if c.out != "" {
			cfg.Dir = filepath.Join(filepath.Dir(c.out), "devchain")
		}
	}
	if c.registryFile != "" {
		var err error
		if cfg.Orchestrators, err = (&registry.File{Path: c.registryFile}).Orchestrators(ctx); err != nil {
			return err
		}
	}
	ch, err := devchain.Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer ch.Close()
	info, _ := json.MarshalIndent(ch.Info(), "", "  ")
	if c.out != "" {
		if err := os.WriteFile(c.out, append(info, '\n'), 0o644); err != nil {
			return podium.FieldError("out", "%v", err)
		}
	} else {
		fmt.Fprintf(m.Stdout, "%s\n", info)
	}
	m.ready("devchain", ch.RPC)
	<-ctx.Done()
	return nil
}
