package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/probe"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/web"
)

// probeCmd is `podium probe`: the regional prober.
type probeCmd struct {
	m *Main

	region, leaderboard string
	once                bool
	orchestrators, rpc  string
	controller          string
	transport           string
	transportFor        []string
	broadcaster         string
	webhookListen       string
	canary              []string
	canaryOrchestrator  string
	segments            int
	concurrency         int
	profiles            []string
	interval            time.Duration
	jitter              float64
	seed                uint64
	spool               string
	metrics             string
	segmentTimeout      time.Duration
	retryInterval       time.Duration
	verbose             bool
	key                 string
	pay                 payFlags
	capacity            capacityFlags
	ai                  aiFlags
}

func (m *Main) newProbeCmd() *cobra.Command {
	c := &probeCmd{m: m}
	cmd := &cobra.Command{
		Use:   "probe --region ID --leaderboard URL [--once] [--orchestrators FILE]",
		Short: "Test orchestrators from one region, verify their transcodes and post the results",
		Long: `probe tests every orchestrator of the registry: it sends unique test segments in
real time, verifies every rendition that comes back, and posts one stats record per
test to the leaderboard, signed with $PODIUM_SECRET (or --secret-file). Records are
spooled to disk before they are posted, so none is lost while the leaderboard is down.
With --once it runs one cycle and prints a table; otherwise it runs cycles until
stopped and serves Prometheus metrics on --metrics.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.region, "region", "", "the region this prober tests from, e.g. FRA")
	f.StringVar(&c.leaderboard, "leaderboard", "", "the leaderboard's base URL, e.g. http://127.0.0.1:8088")
	f.BoolVar(&c.once, "once", false, "run one cycle, print a table and exit")
	f.StringVar(&c.orchestrators, "orchestrators", "", "registry CSV file (address,service_uri,name,payout_address)")
	f.StringVar(&c.rpc, "rpc", "", "read the registry from the chain at this JSON-RPC URL instead (active orchestrators with a service URI, read every cycle)")
	f.StringVar(&c.controller, "controller", "", "with --rpc: Livepeer Controller address (default: Arbitrum One's "+chain.ArbitrumOneController.Hex()+")")
	f.StringVar(&c.transport, "transport", probe.TransportNames[0], "how to reach orchestrators: "+probe.TransportList(" or "))
	f.StringSliceVar(&c.transportFor, "transport-for", nil, "per-orchestrator transport, ADDRESS="+probe.TransportList("|")+" (repeatable)")
	f.StringVar(&c.broadcaster, "broadcaster", "", "the broadcaster's HTTP ingest URL (transport broadcaster)")
	f.StringVar(&c.webhookListen, "webhook-listen", "127.0.0.1:0", "where to serve the broadcaster's -orchWebhookUrl discovery list")
	f.StringSliceVar(&c.canary, "canary", nil, "a known-good URL checked each cycle (repeatable); when more than half fail, the prober is at fault")
	f.StringVar(&c.canaryOrchestrator, "canary-orchestrator", "", "service URI of a known-good orchestrator tested each cycle (direct, 1 segment); a failure marks the prober at fault")
	f.IntVar(&c.segments, "segments", 15, "segments per test")
	f.IntVar(&c.concurrency, "concurrency", 4, "orchestrators tested at once")
	f.StringSliceVar(&c.profiles, "profiles", []string{media.P360p30fps16x9.Name, media.P240p30fps16x9.Name}, "rendition profiles asked for")
	f.DurationVar(&c.interval, "interval", 5*time.Minute, "time between cycles")
	f.Float64Var(&c.jitter, "jitter", 0.1, "random spread of the interval, as a fraction of it")
	f.Uint64Var(&c.seed, "seed", 0, "seed of the cycle jitter, test order and segment nonces (0: from the clock)")
	f.StringVar(&c.spool, "spool", "", "directory where records wait until the leaderboard has them (default: $XDG_STATE_HOME/podium/spool/REGION, else ~/.local/state/podium/spool/REGION)")
	f.StringVar(&c.metrics, "metrics", "", "serve Prometheus /metrics on this address")
	f.String("secret-file", "", "file holding the leaderboard's secret (default $PODIUM_SECRET)") // read by configure
	f.StringVar(&c.key, "key", "", "hex secp256k1 key the direct transport signs with (default: derived from --seed)")
	f.BoolVar(&c.verbose, "verbose", false, "with --once, print each failed test's own log after the table")
	f.DurationVar(&c.retryInterval, "retry-interval", 30*time.Second, "how often records waiting in the spool are posted again")
	f.DurationVar(&c.segmentTimeout, "segment-timeout", 0, "per-segment timeout (default max(8s, 4 × segment duration))")
	c.pay.register(f)
	c.capacity.register(f)
	c.ai.register(f)
	return cmd
}

// registry returns the registry the prober reads each cycle: the CSV file,
// or the chain at --rpc.
func (c *probeCmd) registry(ctx context.Context) (podium.Registry, func(), error) {
	if c.rpc == "" {
		return &registry.File{Path: c.orchestrators}, func() {}, nil
	}
	client, err := chain.Dial(ctx, c.rpc, 0)
	if err != nil {
		return nil, nil, err
	}
	reg := &chain.Registry{Client: client}
	if c.controller != "" {
		if reg.Controller, err = addressFlag("--controller", c.controller); err != nil {
			client.Close()
			return nil, nil, err
		}
	}
	return registry.Testable{Registry: reg}, client.Close, nil
}

// Run tests the orchestrators, once or in cycles until ctx is done.
func (c *probeCmd) Run(ctx context.Context) error {
	m := c.m
	if err := c.validate(); err != nil {
		return err
	}
	// Without ffmpeg no test can run: say so now, not after a silent cycle.
	if _, err := media.CheckFFmpeg(ctx, m.Getenv("PODIUM_FFMPEG")); err != nil {
		return err
	}
	secret, err := m.loadSecret()
	if err != nil {
		return err
	}
	if c.spool == "" {
		state, err := m.stateDir()
		if err != nil {
			return err
		}
		c.spool = filepath.Join(state, "spool", c.region)
	}
	spool, err := probe.OpenSpool(c.spool)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "spool: %s (records wait here until the leaderboard has them)\n", c.spool)
	seed := c.seed
	if seed == 0 {
		seed = uint64(m.Now().UnixNano())
	}
	log := m.Logger.With("component", "probe", "region", c.region)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := probe.NewMetrics(reg, c.region)

	// Enough segments ready for the tests running at once, no more: the
	// pool keeps generating until it is full.
	profiles, err := media.LookupProfiles(c.profiles)
	if err != nil {
		return err
	}
	poolSize := min(16, c.concurrency*c.segments)
	if c.capacity.on(c.once) {
		poolSize = max(poolSize, min(48, c.capacity.ceiling*probe.DefaultCapacitySegments))
	}
	pool := &lazyPool{cfg: media.PoolConfig{Size: poolSize, Seed: seed,
		Generator: &media.Generator{FFmpeg: m.Getenv("PODIUM_FFMPEG"), Profiles: profiles}, Logger: log}}
	defer pool.Close()

	pay, err := c.pay.payment(ctx)
	if err != nil {
		return err
	}
	if pay != nil {
		defer pay.close()
		log.Info("paying with tickets", "sender", pay.payer.Sender.Signer.Address().Hex(), "max_price", c.pay.maxPrice)
	}
	transports, closeTransports, err := c.transports(ctx, seed, pay)
	if err != nil {
		return err
	}
	defer closeTransports()

	client := web.NewClient(c.leaderboard, secret)
	if err := checkRegion(ctx, client, c.region, log); err != nil {
		return err
	}
	sender := &probe.Sender{
		Poster: probe.PosterFunc(func(ctx context.Context, rec podium.Stats) error {
			_, err := client.PostStats(ctx, rec)
			return err
		}),
		Capacity: probe.CapacityPosterFunc(func(ctx context.Context, rec podium.Capacity) error {
			res, err := client.PostCapacity(ctx, rec)
			if err == nil {
				log.Info("posted capacity", "test_id", rec.TestID, "status", res.Status)
			}
			return err
		}),
		Spool: spool, Backoff: probe.DefaultBackoff, Sleep: probe.Sleep, Logger: log, Metrics: metrics,
	}
	tester := &probe.Tester{
		Region: c.region, Segments: c.segments, SegDuration: media.SegmentFrames * time.Second / media.SegmentFPS, Profiles: c.profiles,
		Source: pool,
		// Segments that come back within a second of each other, of this
		// test or of the others running, share one ffmpeg run.
		Verifier: &probe.BatchVerifier{Verifier: &media.Verifier{FFmpeg: m.Getenv("PODIUM_FFMPEG")}},
		Timeout:  c.segmentTimeout, Now: m.Now, Sleep: probe.Sleep,
	}
	orchs, closeRegistry, err := c.registry(ctx)
	if err != nil {
		return err
	}
	defer closeRegistry()
	p := &probe.Prober{
		Registry: orchs, Tester: tester, Transports: transports,
		Transport: c.transport, TransportFor: c.mustPinned(),
		Concurrency: c.concurrency, Interval: c.interval, Jitter: c.jitter, Rand: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		Sender: sender, Metrics: metrics, Logger: log, Sleep: probe.Sleep,
	}
	ai, stopAI, err := c.ai.plan(ctx, m, c.region, transports[probe.TransportDirect].(*probe.Direct).Client)
	if err != nil {
		return err
	}
	defer stopAI()
	p.AI = ai
	if pay != nil {
		pc := &priceCap{flag: pay.payer.Cap(), rounds: client.Rounds, payer: pay.payer, log: log}
		if p.Funds, err = pay.funds(c.segments, c.profiles, pc); err != nil {
			return err
		}
	}
	if c.capacity.on(c.once) {
		if p.Capacity, err = c.capacity.runner(ctx, client, sender, tester, c.region, m.Now, log, m.Stderr); err != nil {
			return err
		}
	}
	var canaries probe.Canaries
	for _, u := range c.canary {
		// A canary proves the network path only; what it answers is
		// not trusted, so its certificate need not be either.
		canaries.Endpoints = append(canaries.Endpoints, probe.HTTPCanary{URL: u, Client: &http.Client{Timeout: 5 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}})
	}
	if c.canaryOrchestrator != "" {
		ct := *tester
		ct.Segments = 1
		ct.AnyIdentity = true // the canary's address is not known; its signatures still are checked
		canaries.Orchestrator = probe.TargetCanary{Tester: &ct, Transport: transports[probe.TransportDirect],
			Target: podium.Orchestrator{Address: "0x0000000000000000000000000000000000000000", ServiceURI: c.canaryOrchestrator, Name: "canary"}}
	}
	if canaries.Orchestrator != nil || len(canaries.Endpoints) > 0 {
		p.Canary = canaries
	}

	// Tests a stopped or crashed run finished but did not settle, then
	// records a previous run could not post, go first.
	if _, err := p.Recover(ctx); err != nil {
		return err
	}
	if sent, left, err := sender.Drain(ctx); err != nil {
		return err
	} else if sent+left > 0 {
		log.Info("spool drained on start", "sent", sent, "left", left)
	}
	if c.once {
		cycle, err := p.RunCycle(ctx, 1)
		if err != nil {
			return err
		}
		_, left, err := sender.Drain(ctx)
		if err != nil {
			return err
		}
		printCycle(m.Stdout, cycle, left)
		printCapacity(m.Stdout, cycle.Capacity)
		printAICycle(m.Stdout, cycle)
		if c.verbose {
			printLogs(m.Stdout, cycle)
		}
		return nil
	}

	if c.metrics != "" {
		stop, err := m.serveHTTP(ctx, "metrics", "--metrics", c.metrics, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		if err != nil {
			return err
		}
		defer stop()
	}
	go func() { _ = sender.Run(ctx, c.retryInterval) }()
	p.Progress = func(done, total int, r probe.Result) {
		fmt.Fprintf(m.Stderr, "[%d/%d] %s success=%.2f rtt=%.3fs\n", done, total, r.Stats.Orchestrator, r.Stats.SuccessRate, r.Stats.RoundTripTime)
	}
	return p.Run(ctx)
}

// checkRegion refuses a region the leaderboard does not know, since it would
// refuse every record. A leaderboard that is down is no reason not to
// test: the records wait in the spool.
func checkRegion(ctx context.Context, c *web.Client, region string, log *slog.Logger) error {
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	regions, err := c.Regions(rctx)
	if err != nil {
		log.Warn("leaderboard regions unknown; testing anyway", "err", err)
		return nil
	}
	ids := make([]string, len(regions))
	for i, r := range regions {
		if strings.EqualFold(r.ID, region) {
			return nil
		}
		ids[i] = r.ID
	}
	return podium.FieldError("--region", "the leaderboard does not know region %q", region).
		WithHint("use one of " + strings.Join(ids, ", "))
}

// transports builds the transports the flags ask for.
func (c *probeCmd) transports(ctx context.Context, seed uint64, pay *payment) (probe.Transports, func(), error) {
	key := lpnet.KeyFromSeed(int64(seed))
	if pay != nil {
		key = pay.key
	} else if c.key != "" {
		k, err := lpnet.LoadKey(c.key)
		if err != nil {
			return nil, nil, podium.Errorf(podium.EINVALID, "--key: %w", err)
		}
		key = k
	}
	client := lpnet.NewClient(lpnet.NewSigner(key))
	profiles, err := lpnet.LookupProfiles(c.profiles)
	if err != nil {
		return nil, nil, podium.FieldError("--profiles", "%v", err)
	}
	if err := client.Need(profiles); err != nil {
		return nil, nil, podium.FieldError("--profiles", "%v", err)
	}
	if pay != nil {
		client.Payer = pay.payer
	}
	trs := probe.Transports{probe.TransportDirect: &probe.Direct{Client: client}}
	stop := func() {}
	if c.broadcaster != "" {
		hook := probe.NewWebhook()
		s, err := c.m.serveHTTP(ctx, "webhook", "--webhook-listen", c.webhookListen, hook)
		if err != nil {
			return nil, nil, err
		}
		stop = s
		trs[probe.TransportBroadcaster] = &probe.Broadcaster{URL: c.broadcaster, Webhook: hook, Client: &http.Client{}, Identify: client}
	}
	return trs, stop, nil
}

// serveHTTP serves h on addr, which flag gave, until ctx ends or stop is
// called; name is the component it logs as.
func (m *Main) serveHTTP(ctx context.Context, name, flag, addr string, h http.Handler) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, podium.ListenError(flag, addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("serve", "component", name, "err", err)
		}
	}()
	m.ready(name, ln.Addr().String())
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}, nil
}
