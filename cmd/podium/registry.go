package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/registry"
)

func (m *Main) newRegistryCmd() *cobra.Command {
	var rpcURL, controller, multicall, ensRPC, ensRegistry, format string
	cmd := &cobra.Command{
		Use:   "registry",
		Short: "List the orchestrators registered on-chain (BondingManager pool, ServiceRegistry URIs, ENS names)",
		Long: `Resolves Livepeer's contracts through the Controller (Arbitrum One's by default),
walks the BondingManager transcoder pool and reads each orchestrator's service
URI and active flag, batched through Multicall3 where deployed. With --ens-rpc
(an L1 RPC) it adds ENS reverse names. --format csv prints the registry-file
format (address,service_uri,name,payout_address).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			client, err := chain.Dial(ctx, rpcURL, 0)
			if err != nil {
				return err
			}
			defer client.Close()
			reg := &chain.Registry{Client: client}
			if controller != "" {
				if reg.Controller, err = addressFlag("controller", controller); err != nil {
					return err
				}
			}
			if multicall != "" {
				if reg.Multicall, err = addressFlag("multicall", multicall); err != nil {
					return err
				}
			}
			if ensRPC != "" {
				if reg.ENS.Client, err = chain.Dial(ctx, ensRPC, 0); err != nil {
					return err
				}
				defer reg.ENS.Client.Close()
				reg.ENS.Registry = chain.ENSRegistryAddress
				if ensRegistry != "" {
					if reg.ENS.Registry, err = addressFlag("ens-registry", ensRegistry); err != nil {
						return err
					}
				}
			}
			orchs, err := reg.Orchestrators(ctx)
			if err != nil {
				return err
			}
			switch format {
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
			return podium.FieldError("format", "%q is neither table nor csv", format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&rpcURL, "rpc", "", "JSON-RPC URL of the chain Livepeer runs on (Arbitrum One)")
	f.StringVar(&controller, "controller", "", "Livepeer Controller address (default: Arbitrum One's "+chain.ArbitrumOneController.Hex()+")")
	f.StringVar(&multicall, "multicall", "", "Multicall3 address (default "+chain.Multicall3Address.Hex()+"; without code there, reads go one by one)")
	f.StringVar(&ensRPC, "ens-rpc", "", "L1 JSON-RPC URL for ENS reverse names (optional)")
	f.StringVar(&ensRegistry, "ens-registry", "", "ENS registry address (default: mainnet's)")
	f.StringVar(&format, "format", "table", "table or csv")
	required(cmd, "rpc")
	return cmd
}
