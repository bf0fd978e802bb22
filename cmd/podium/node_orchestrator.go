package main

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/node"
)

// nodeOrchestratorCmd is `podium node orchestrator`.
type nodeOrchestratorCmd struct {
	m *Main

	keys       nodeKeyFlags
	listen     string
	fault      string
	capacity   int
	price      string
	serviceURI string
	ttl        time.Duration
	preset     string
	threads    int
	procs      int // --transcoders
	unsigned   bool
	ethOrch    string
	pay        nodePayFlags
	ai         bool
	aiFault    string
}

func (m *Main) newNodeOrchestratorCmd() *cobra.Command {
	c := &nodeOrchestratorCmd{m: m}
	cmd := &cobra.Command{
		Use:   "orchestrator",
		Short: "Serve the Livepeer orchestrator protocol and transcode with ffmpeg",
		Example: "  podium node orchestrator --listen 127.0.0.1:8935\n" +
			"  podium node orchestrator --listen 127.0.0.1:8936 --fault stale --seed 3 --price 1200/1",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	c.keys.register(cmd)
	cmd.Flags().StringVar(&c.listen, "listen", "127.0.0.1:8935", "address to serve gRPC and HTTPS on (one TLS port)")
	cmd.Flags().StringVar(&c.fault, "fault", "", "misbehave: slow=DURATION, flaky=FRACTION, stale, black, frozen, wrong-size, drop-rendition, error, capped, garbage, mirror, copy-source, upscale, grayscale, reorder, watermark, impersonate=ADDRESS, overclaim=SESSIONS")
	cmd.Flags().StringVar(&c.ethOrch, "eth-orch-addr", "", "registered orchestrator address this node works for when its key is another (go-livepeer's -ethOrchAddr): advertised as ticket recipient")
	cmd.Flags().IntVar(&c.capacity, "capacity", 0, "concurrent sessions before OrchestratorCapped, advertised in the capabilities (go-livepeer's -maxSessions; 0: unlimited)")
	cmd.Flags().StringVar(&c.price, "price", "0", "price in wei per pixel, as WEI or WEI/PIXELS")
	cmd.Flags().StringVar(&c.serviceURI, "service-uri", "", "URI to advertise (default https://<listen address>)")
	cmd.Flags().DurationVar(&c.ttl, "rendition-ttl", time.Minute, "how long renditions stay downloadable")
	cmd.Flags().StringVar(&c.preset, "preset", "ultrafast", "libx264 preset")
	cmd.Flags().IntVar(&c.threads, "threads", 0, "ffmpeg threads per transcode (0: ffmpeg decides)")
	cmd.Flags().IntVar(&c.procs, "transcoders", 0, "ffmpeg processes run at once; further segments wait their turn (0: no bound)")
	cmd.Flags().BoolVar(&c.unsigned, "allow-unsigned", false, "accept senders that sign nothing, like an off-chain go-livepeer orchestrator")
	c.pay.register(cmd.Flags())
	cmd.Flags().BoolVar(&c.ai, "ai", false, "also serve AI requests: upscale (ffmpeg, ×4), text-to-image, image-to-image and image-to-video")
	cmd.Flags().StringVar(&c.aiFault, "ai-fault", "", "AI misbehaviour (implies --ai): slow=DURATION, error, wrong-size, unscaled, unrelated, blank, cold=DURATION")
	return cmd
}

// Run serves the orchestrator protocol until ctx is done.
func (c *nodeOrchestratorCmd) Run(ctx context.Context) error {
	m := c.m
	f, err := node.ParseFault(c.fault)
	if err != nil {
		return podium.FieldError("--fault", "%v", err)
	}
	aiWorker, err := nodeAI(c.ai, c.aiFault, c.keys.seed, c.threads, m.Logger.With("component", "ai"))
	if err != nil {
		return err
	}
	pi, err := parsePrice(c.price)
	if err != nil {
		return err
	}
	if c.procs < 0 {
		return podium.FieldError("--transcoders", "must be 0 (no bound) or more, got %d", c.procs)
	}
	if c.capacity < 0 {
		return podium.FieldError("--capacity", "must be 0 (unlimited) or more, got %d", c.capacity)
	}
	if _, err := media.CheckFFmpeg(ctx, ""); err != nil {
		return err
	}
	var recipient common.Address
	if c.ethOrch != "" {
		if !common.IsHexAddress(c.ethOrch) {
			return podium.FieldError("--eth-orch-addr", "%q is not an Ethereum address", c.ethOrch).WithHint("pass the registered orchestrator's 0x address")
		}
		recipient = common.HexToAddress(c.ethOrch)
	}
	key, err := c.keys.privateKey()
	if err != nil {
		return err
	}
	signer := lpnet.NewSigner(key)
	tickets, closeTickets, err := c.pay.tickets(ctx, key)
	if err != nil {
		return err
	}
	defer closeTickets()
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return podium.ListenError("--listen", c.listen, err)
	}
	o := &node.Orchestrator{
		Signer:        signer,
		Recipient:     recipient,
		Price:         pi,
		Capacity:      c.capacity,
		Transcoders:   c.procs,
		Fault:         f,
		Seed:          c.keys.seed,
		FFmpeg:        &node.FFmpeg{Preset: c.preset, Threads: c.threads},
		RenditionTTL:  c.ttl,
		ServiceURI:    c.serviceURI,
		AllowUnsigned: c.unsigned,
		Tickets:       tickets,
		AI:            aiWorker,
		Now:           m.Now,
		Logger:        m.Logger.With("component", "orchestrator"),
	}
	if o.ServiceURI == "" {
		o.ServiceURI = "https://" + ln.Addr().String()
	}
	m.Logger.Info("orchestrator", "address", strings.ToLower(signer.Address().Hex()), "service_uri", o.ServiceURI,
		"price", fmt.Sprintf("%d/%d", pi.PricePerUnit, pi.PixelsPerUnit), "capacity", c.capacity, "fault", f.String(), "tickets", tickets != nil)
	m.ready("node-orchestrator", ln.Addr().String())
	return o.Serve(ctx, ln)
}
