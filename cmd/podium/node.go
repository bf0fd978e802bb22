package main

import (
	"crypto/ecdsa"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/node"
)

func (m *Main) newNodeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Run a reference Livepeer node (orchestrator or broadcaster)",
		Long: "Run podium's reference Livepeer node. The orchestrator transcodes with ffmpeg and can\n" +
			"misbehave on purpose (--fault); the broadcaster takes HTTP push ingest and sends each\n" +
			"segment to the orchestrator its discovery webhook names.",
	}
	cmd.AddCommand(m.newNodeOrchestratorCmd(), m.newNodeBroadcasterCmd())
	return cmd
}

// nodeKeyFlags are the identity flags both roles share.
type nodeKeyFlags struct {
	key  string
	seed int64
}

func (f *nodeKeyFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.key, "key", "", "file holding the node's Ethereum private key (hex); derived from --seed when empty")
	cmd.Flags().Int64Var(&f.seed, "seed", 1, "seed for the derived key and for fault decisions")
}

func (f *nodeKeyFlags) signer() (*lpnet.Signer, error) {
	key, err := f.privateKey()
	if err != nil {
		return nil, err
	}
	return lpnet.NewSigner(key), nil
}

func (f *nodeKeyFlags) privateKey() (*ecdsa.PrivateKey, error) {
	if f.key == "" {
		return lpnet.KeyFromSeed(f.seed), nil
	}
	k, err := lpnet.LoadKey(f.key)
	if err != nil {
		return nil, podium.FieldError("--key", "%v", err)
	}
	return k, nil
}

func (m *Main) newNodeOrchestratorCmd() *cobra.Command {
	var (
		keys       nodeKeyFlags
		listen     string
		fault      string
		capacity   int
		price      string
		serviceURI string
		ttl        time.Duration
		preset     string
		threads    int
		unsigned   bool
		ethOrch    string
		pay        nodePayFlags
		ai         bool
		aiFault    string
	)
	cmd := &cobra.Command{
		Use:   "orchestrator",
		Short: "Serve the Livepeer orchestrator protocol and transcode with ffmpeg",
		Example: "  podium node orchestrator --listen 127.0.0.1:8935\n" +
			"  podium node orchestrator --listen 127.0.0.1:8936 --fault stale --seed 3 --price 1200/1",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := node.ParseFault(fault)
			if err != nil {
				return podium.FieldError("--fault", "%v", err)
			}
			aiWorker, err := nodeAI(ai, aiFault, keys.seed, threads, m.Logger.With("component", "ai"))
			if err != nil {
				return err
			}
			pi, err := parsePrice(price)
			if err != nil {
				return err
			}
			if capacity < 0 {
				return podium.FieldError("--capacity", "must be 0 (unlimited) or more, got %d", capacity)
			}
			if _, err := media.CheckFFmpeg(cmd.Context(), ""); err != nil {
				return err
			}
			var recipient common.Address
			if ethOrch != "" {
				if !common.IsHexAddress(ethOrch) {
					return podium.FieldError("--eth-orch-addr", "%q is not an Ethereum address", ethOrch).WithHint("pass the registered orchestrator's 0x address")
				}
				recipient = common.HexToAddress(ethOrch)
			}
			key, err := keys.privateKey()
			if err != nil {
				return err
			}
			signer := lpnet.NewSigner(key)
			tickets, closeTickets, err := pay.tickets(cmd.Context(), key)
			if err != nil {
				return err
			}
			defer closeTickets()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return &podium.Error{Code: podium.EUNAVAILABLE, Field: "--listen", Message: "cannot listen", Err: err, Hint: "pick a free address, for example 127.0.0.1:0"}
			}
			o := &node.Orchestrator{
				Signer:        signer,
				Recipient:     recipient,
				Price:         pi,
				Capacity:      capacity,
				Fault:         f,
				Seed:          keys.seed,
				FFmpeg:        &node.FFmpeg{Preset: preset, Threads: threads},
				RenditionTTL:  ttl,
				ServiceURI:    serviceURI,
				AllowUnsigned: unsigned,
				Tickets:       tickets,
				AI:            aiWorker,
				Now:           m.Now,
				Logger:        m.Logger.With("component", "orchestrator"),
			}
			if o.ServiceURI == "" {
				o.ServiceURI = "https://" + ln.Addr().String()
			}
			m.Logger.Info("orchestrator", "address", strings.ToLower(signer.Address().Hex()), "service_uri", o.ServiceURI,
				"price", fmt.Sprintf("%d/%d", pi.PricePerUnit, pi.PixelsPerUnit), "capacity", capacity, "fault", f.String(), "tickets", tickets != nil)
			m.ready("node-orchestrator", ln.Addr().String())
			return o.Serve(cmd.Context(), ln)
		},
	}
	keys.register(cmd)
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8935", "address to serve gRPC and HTTPS on (one TLS port)")
	cmd.Flags().StringVar(&fault, "fault", "", "misbehave: slow=DURATION, flaky=FRACTION, stale, black, frozen, wrong-size, drop-rendition, error, capped, garbage, mirror, copy-source, upscale, grayscale, reorder, watermark, impersonate=ADDRESS")
	cmd.Flags().StringVar(&ethOrch, "eth-orch-addr", "", "registered orchestrator address this node works for when its key is another (go-livepeer's -ethOrchAddr): advertised as ticket recipient")
	cmd.Flags().IntVar(&capacity, "capacity", 0, "concurrent sessions before OrchestratorCapped (0: unlimited)")
	cmd.Flags().StringVar(&price, "price", "0", "price in wei per pixel, as WEI or WEI/PIXELS")
	cmd.Flags().StringVar(&serviceURI, "service-uri", "", "URI to advertise (default https://<listen address>)")
	cmd.Flags().DurationVar(&ttl, "rendition-ttl", time.Minute, "how long renditions stay downloadable")
	cmd.Flags().StringVar(&preset, "preset", "ultrafast", "libx264 preset")
	cmd.Flags().IntVar(&threads, "threads", 0, "ffmpeg threads per transcode (0: ffmpeg decides)")
	cmd.Flags().BoolVar(&unsigned, "allow-unsigned", false, "accept senders that sign nothing, like an off-chain go-livepeer orchestrator")
	pay.register(cmd.Flags())
	cmd.Flags().BoolVar(&ai, "ai", false, "also serve AI requests: upscale (ffmpeg, ×4), text-to-image and image-to-video")
	cmd.Flags().StringVar(&aiFault, "ai-fault", "", "AI misbehaviour (implies --ai): slow=DURATION, error, wrong-size, unscaled, unrelated, blank, cold=DURATION")
	return cmd
}

// parsePrice reads --price: WEI or WEI/PIXELS into a PriceInfo.
func parsePrice(s string) (*lpnet.PriceInfo, error) { return parsePriceFlag("--price", s) }

// parsePriceFlag reads WEI or WEI/PIXELS, the value of flag, into a PriceInfo.
func parsePriceFlag(flag, s string) (*lpnet.PriceInfo, error) {
	num, den, hasDen := strings.Cut(strings.TrimSpace(s), "/")
	p, err := strconv.ParseInt(num, 10, 64)
	if err != nil || p < 0 {
		return nil, podium.FieldError(flag, "%q: want a whole number of wei, optionally /PIXELS, for example 1200/1", s)
	}
	px := int64(1)
	if hasDen {
		px, err = strconv.ParseInt(den, 10, 64)
		if err != nil || px <= 0 {
			return nil, podium.FieldError(flag, "%q: pixels per unit must be a whole number above 0", s)
		}
	}
	return &lpnet.PriceInfo{PricePerUnit: p, PixelsPerUnit: px}, nil
}

func (m *Main) newNodeBroadcasterCmd() *cobra.Command {
	var (
		keys     nodeKeyFlags
		listen   string
		webhook  string
		profiles string
	)
	cmd := &cobra.Command{
		Use:     "broadcaster",
		Short:   "Accept HTTP push ingest and send segments to an orchestrator",
		Example: "  podium node broadcaster --listen 127.0.0.1:8937 --orch-webhook http://127.0.0.1:9000/orchestrators",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if webhook == "" {
				return podium.FieldError("--orch-webhook", "is required").WithHint(`serve [{"address":"https://host:port"}] at a URL and pass it`)
			}
			ps, err := lpnet.LookupProfiles(strings.Split(profiles, ","))
			if err != nil {
				return podium.FieldError("--profiles", "%v", err)
			}
			signer, err := keys.signer()
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return &podium.Error{Code: podium.EUNAVAILABLE, Field: "--listen", Message: "cannot listen", Err: err, Hint: "pick a free address, for example 127.0.0.1:0"}
			}
			client := lpnet.NewClient(signer)
			if err := client.Need(ps); err != nil {
				return podium.FieldError("--profiles", "%v", err)
			}
			b := &node.Broadcaster{
				Client:   client,
				Webhook:  webhook,
				Profiles: ps,
				Logger:   m.Logger.With("component", "broadcaster"),
			}
			m.Logger.Info("broadcaster", "address", strings.ToLower(signer.Address().Hex()), "webhook", webhook, "profiles", profiles)
			m.ready("node-broadcaster", ln.Addr().String())
			return b.Serve(cmd.Context(), ln)
		},
	}
	keys.register(cmd)
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8937", "address to accept HTTP push on")
	cmd.Flags().StringVar(&webhook, "orch-webhook", "", `URL answering [{"address":"https://…"}], asked for every segment`)
	cmd.Flags().StringVar(&profiles, "profiles", strings.Join(lpnet.DefaultLadder, ","), "renditions to ask for, by stock name")
	return cmd
}
