package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/registry"
)

// registryCmd is `podium registry`.
type registryCmd struct {
	m *Main

	rpcURL, controller, multicall, ensRPC, ensRegistry, format string
}

func (m *Main) newRegistryCmd() *cobra.Command {
	c := &registryCmd{m: m}
	cmd := &cobra.Command{
		Use:   "registry",
		Short: "List the orchestrators registered on-chain (BondingManager pool, ServiceRegistry URIs, ENS names)",
		Long: `Resolves Livepeer's contracts through the Controller (Arbitrum One's by default),
walks the BondingManager transcoder pool and reads each orchestrator's service
URI and active flag, batched through Multicall3 where deployed. With --ens-rpc
(an L1 RPC) it adds ENS reverse names. --format csv prints the registry-file
format (address,service_uri,name,payout_address).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.rpcURL, "rpc", "", "JSON-RPC URL of the chain Livepeer runs on (Arbitrum One)")
	f.StringVar(&c.controller, "controller", "", "Livepeer Controller address (default: Arbitrum One's "+chain.ArbitrumOneController.Hex()+")")
	f.StringVar(&c.multicall, "multicall", "", "Multicall3 address (default "+chain.Multicall3Address.Hex()+"; without code there, reads go one by one)")
	f.StringVar(&c.ensRPC, "ens-rpc", "", "L1 JSON-RPC URL for ENS reverse names (optional)")
	f.StringVar(&c.ensRegistry, "ens-registry", "", "ENS registry address (default: mainnet's)")
	f.StringVar(&c.format, "format", "table", "table or csv")
	required(cmd, "rpc")
	return cmd
}

// Run lists the orchestrators registered on-chain.
func (c *registryCmd) Run(ctx context.Context) error {
	m := c.m
	client, err := chain.Dial(ctx, c.rpcURL, 0)
	if err != nil {
		return err
	}
	defer client.Close()
	reg := &chain.Registry{Client: client}
	if c.controller != "" {
		if reg.Controller, err = addressFlag("controller", c.controller); err != nil {
			return err
		}
	}
	if c.multicall != "" {
		if reg.Multicall, err = addressFlag("multicall", c.multicall); err != nil {
			return err
		}
	}
	if c.ensRPC != "" {
		if reg.ENS.Client, err = chain.Dial(ctx, c.ensRPC, 0); err != nil {
			return err
		}
		defer reg.ENS.Client.Close()
		reg.ENS.Registry = chain.ENSRegistryAddress
		if c.ensRegistry != "" {
			if reg.ENS.Registry, err = addressFlag("ens-registry", c.ensRegistry); err != nil {
				return err
			}
		}
	}
	orchs, err := reg.Orchestrators(ctx)
	if err != nil {
		return err
	}
	switch c.format {
	case "csv":
		return registry.WriteCSV(m.Stdout, orchs)
	case "table":
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ADDRESS\tACTIVE\tNAME\tSERVICE URI")
		for _, o := range orchs {
			fmt.Fprintf(tw, "%s\t%t\t%s\t%s\n", o.Address, o.Active, o.Name, o.ServiceURI)
		}
		return tw.Flush()
	}
	return podium.FieldError("format", "%q is neither table nor csv", c.format)
}
