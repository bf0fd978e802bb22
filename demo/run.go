package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/server"
	"github.com/podiumhq/podium/store"
)

// Run runs the demo: it starts every part, runs the round, pays and verifies
// it, writes the summary to cfg.Out and, unless cfg.Exit, keeps the web UI up
// until ctx ends. Every part is stopped before Run returns.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	// The orchestrators transcode and the probers make and verify video
	// with ffmpeg: without it the round would run with no test at all.
	if _, err := media.CheckFFmpeg(ctx, ""); err != nil {
		return nil, err
	}
	dir, err := prepareDir(cfg.Dir)
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		f, err := os.OpenFile(filepath.Join(dir, "demo.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		cfg.Logger = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	d := &demo{cfg: cfg, dir: dir}
	defer d.stop()
	sum, err := d.run(ctx)
	if err != nil {
		return sum, err
	}
	if !cfg.Exit {
		fmt.Fprintf(cfg.Out, "\nThe web UI stays up at %s — press Ctrl-C to stop.\n", d.url)
		<-ctx.Done()
	}
	return sum, nil
}

// demo holds the running parts, so stop can end them in order.
type demo struct {
	cfg Config
	dir string
	url string

	cancelNodes context.CancelFunc
	nodes       *nodes
	chain       *devchain.Chain
	client      *ethclient.Client
	db          *store.DB
	server      *server.Server
	network     *network
	probers     *probers
	tickets     *tickets
}

// stop ends every part that was started, in reverse order, and waits for
// each (ffmpeg children included: their contexts end with the parts').
func (d *demo) stop() {
	if d.probers != nil {
		d.probers.close()
	}
	if d.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = d.server.Close(ctx) // the demo's result is already decided
		cancel()
	}
	if d.network != nil {
		d.network.Close()
	}
	if d.tickets != nil {
		d.tickets.stop()
	}
	if d.cancelNodes != nil {
		d.cancelNodes()
		if d.nodes != nil {
			d.nodes.wait()
		}
	}
	if d.client != nil {
		d.client.Close()
	}
	if d.chain != nil {
		d.chain.Close()
	}
	if d.db != nil {
		d.db.Close()
	}
}

func (d *demo) run(ctx context.Context) (*Summary, error) {
	cfg, out := d.cfg, d.cfg.Out
	fmt.Fprintf(out, "podium demo: files in %s\n", d.dir)

	// Orchestrators first: their addresses and service URIs go on the chain.
	cast := Cast(cfg.Orchestrators)
	nctx, cancel := context.WithCancel(context.Background())
	d.cancelNodes = cancel
	ns, err := listenNodes(cast, cfg.Seed, cfg.Threads, cfg.Logger)
	if err != nil {
		return nil, err
	}
	d.nodes = ns
	orchs := make([]podium.Orchestrator, len(ns.list))
	for i, n := range ns.list {
		orchs[i] = n.Orchestrator
	}

	fmt.Fprintf(out, "starting a dev chain with test LPT and %d orchestrators registered…\n", len(orchs))
	c, err := devchain.Start(ctx, devchain.Config{Listen: "127.0.0.1:0", Dir: filepath.Join(d.dir, "devchain"),
		Orchestrators: orchs, Logger: cfg.Logger.With("component", "devchain")})
	if err != nil {
		ns.serve(nctx, func(*Node) *node.Tickets { return nil }) // to be stopped with the rest
		return nil, fmt.Errorf("dev chain: %w", err)
	}
	d.chain = c
	if err := writeJSON(filepath.Join(d.dir, "devchain.json"), c.Info()); err != nil {
		return nil, err
	}
	if d.client, err = chain.Dial(ctx, c.RPC, 10*time.Second); err != nil {
		ns.serve(nctx, func(*Node) *node.Tickets { return nil })
		return nil, err
	}
	// Testing is paid: the probers' senders fund the TicketBroker, the
	// orchestrators take their tickets and redeem the winners.
	fmt.Fprintf(out, "funding the probers' ticket senders (%s wei deposit, %s wei reserve each)…\n", senderDeposit, senderReserve)
	d.tickets, err = setupTickets(ctx, c, d.client, ns, cfg.Seed, cfg.Logger.With("component", "tickets"))
	if err != nil {
		ns.serve(nctx, func(*Node) *node.Tickets { return nil })
		return nil, err
	}
	ns.serve(nctx, d.tickets.nodeTickets)
	reg := &chain.Registry{Client: d.client, Controller: c.Controller, Multicall: c.Multicall,
		ENS: chain.ENS{Client: d.client, Registry: c.ENSRegistry}}
	listed, err := reg.Orchestrators(ctx)
	if err != nil {
		return nil, fmt.Errorf("registry on the dev chain: %w", err)
	}
	if len(listed) != len(orchs) {
		return nil, fmt.Errorf("registry on the dev chain lists %d orchestrators, %d were registered", len(listed), len(orchs))
	}

	if d.db, err = store.Open(ctx, filepath.Join(d.dir, "podium.db"), cfg.Logger); err != nil {
		return nil, err
	}

	// The round starts once everything is up, on a whole second.
	now := cfg.Now().UTC()
	start := now.Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	end := start.Add(cfg.Round)
	var exclude []string
	for _, n := range ns.list {
		if n.Excluded {
			exclude = append(exclude, n.Address)
		}
	}
	programPath, p, text, err := writeProgram(d.dir, programParams{
		Name: ProgramName, Token: c.Token.Hex(), Admin: strings.ToLower(c.Admin.Hex()), ChainID: c.ChainID.Uint64(),
		Exclude: exclude, Start: start.Format(time.RFC3339), End: end.Format(time.RFC3339), Window: cfg.Round,
	})
	if err != nil {
		return nil, err
	}
	v, _, err := program.Publish(ctx, d.db.Programs(), p, text, now)
	if err != nil {
		return nil, fmt.Errorf("publish the demo program: %w", err)
	}
	fmt.Fprintf(out, "program %s published (version %d, %s): round 1 %s → %s\n",
		p.Name, v.Version, v.Hash, start.Format("15:04:05"), end.Format("15:04:05 MST"))

	// The leaderboard, the program API and the web UI, on one port, and
	// the scheduler that takes the snapshot on time: what `podium serve`
	// runs.
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	pay := &payStatus{}
	taken := make(chan podium.StoredSnapshot, 1)
	srv, err := server.New(server.Config{
		Store: d.db, Packer: true, // the demo's leaderboard owns its store, as serve does
		Program: p, ProgramText: text, Registry: reg, Payouts: pay,
		Secret: secret, Listen: cfg.Listen, Regions: leaderboardRegions(),
		SnapshotRetry: 2 * time.Second, OnSnapshot: func(s podium.StoredSnapshot) { taken <- s },
		Now: cfg.Now, Logger: cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	if err := srv.Start(ctx); err != nil {
		return nil, err
	}
	d.server = srv
	d.url = srv.URL()
	fmt.Fprintf(out, "leaderboard and web UI: %s\n", d.url)

	if d.network, err = startNetwork(ns.list); err != nil {
		return nil, err
	}
	if d.probers, err = newProbers(proberConfig{Registry: reg, Network: d.network, Leaderboard: d.url, Secret: secret,
		Dir: d.dir, Segments: cfg.Segments, Concurrency: cfg.Concurrency, Seed: cfg.Seed, Chain: d.tickets.broker, Now: cfg.Now, Logger: cfg.Logger}); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "probers MDW, FRA, SIN test every orchestrator through its own delayed path; %s round\n\n", cfg.Round)
	if err := sleepUntil(ctx, start, cfg.Now); err != nil {
		return nil, err
	}
	prog := &progress{out: out, db: d.db, probers: d.probers, nodes: ns, start: start, end: end, now: cfg.Now}
	pctx, pcancel := context.WithCancel(ctx)
	var pwg sync.WaitGroup
	pwg.Add(1)
	go func() { defer pwg.Done(); prog.run(pctx, cfg.StatusEvery) }()
	// A test still running at the end cannot count: the snapshot is taken
	// then, and later records never change it.
	rctx, rcancel := context.WithDeadline(ctx, end)
	d.probers.run(rctx, end, cfg.Pause, cfg.Now)
	rcancel()
	pcancel()
	pwg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	var snap podium.StoredSnapshot
	late := time.NewTimer(max(end.Sub(cfg.Now()), 0) + time.Minute)
	defer late.Stop()
	select {
	case snap = <-taken:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-late.C:
		return nil, errors.New("the snapshot was not taken within a minute of its time; see demo.log")
	}
	prog.line()
	red, failed := d.tickets.redemptions(ns)
	costs, err := roundCosts(ctx, d.url, start, end, d.probers)
	if err != nil {
		return nil, err
	}
	writeTesting(out, costs, red, failed)
	fmt.Fprintf(out, "\nsnapshot taken at %s: %s (%d records)\n", snap.TakenAt.Format("15:04:05"), snap.ID, prog.records())
	sum, err := d.finish(ctx, finishInput{program: p, programPath: programPath, snap: snap, registry: reg, pay: pay})
	if sum != nil {
		sum.Costs = costs
		sum.Redemptions, _ = d.tickets.redemptions(ns)
	}
	return sum, err
}

// sleepUntil waits until t by the clock now.
func sleepUntil(ctx context.Context, t time.Time, now func() time.Time) error {
	select {
	case <-time.After(t.Sub(now())):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writeJSON writes v as indented JSON.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
