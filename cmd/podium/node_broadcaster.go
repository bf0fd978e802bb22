package main

import (
	"context"
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/node"
)

// nodeBroadcasterCmd is `podium node broadcaster`.
type nodeBroadcasterCmd struct {
	m *Main

	keys     nodeKeyFlags
	listen   string
	webhook  string
	profiles string
}

func (m *Main) newNodeBroadcasterCmd() *cobra.Command {
	c := &nodeBroadcasterCmd{m: m}
	cmd := &cobra.Command{
		Use:     "broadcaster",
		Short:   "Accept HTTP push ingest and send segments to an orchestrator",
		Example: "  podium node broadcaster --listen 127.0.0.1:8937 --orch-webhook http://127.0.0.1:9000/orchestrators",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	c.keys.register(cmd)
	cmd.Flags().StringVar(&c.listen, "listen", "127.0.0.1:8937", "address to accept HTTP push on")
	cmd.Flags().StringVar(&c.webhook, "orch-webhook", "", `URL answering [{"address":"https://…"}], asked for every segment`)
	cmd.Flags().StringVar(&c.profiles, "profiles", strings.Join(lpnet.DefaultLadder, ","), "renditions to ask for, by stock name")
	return cmd
}

// Run accepts HTTP push ingest until ctx is done.
func (c *nodeBroadcasterCmd) Run(ctx context.Context) error {
	m := c.m
	if c.webhook == "" {
		return podium.FieldError("--orch-webhook", "is required").WithHint(`serve [{"address":"https://host:port"}] at a URL and pass it`)
	}
	ps, err := lpnet.LookupProfiles(strings.Split(c.profiles, ","))
	if err != nil {
		return podium.FieldError("--profiles", "%v", err)
	}
	signer, err := c.keys.signer()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return podium.ListenError("--listen", c.listen, err)
	}
	client := lpnet.NewClient(signer)
	if err := client.Need(ps); err != nil {
		return podium.FieldError("--profiles", "%v", err)
	}
	b := &node.Broadcaster{
		Client:   client,
		Webhook:  c.webhook,
		Profiles: ps,
		Logger:   m.Logger.With("component", "broadcaster"),
	}
	m.Logger.Info("broadcaster", "address", strings.ToLower(signer.Address().Hex()), "webhook", c.webhook, "profiles", c.profiles)
	m.ready("node-broadcaster", ln.Addr().String())
	return b.Serve(ctx, ln)
}
