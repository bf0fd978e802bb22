// Package server builds and runs the leaderboard server: the leaderboard
// API over a store, the web pages, and with a program the round API and
// the round pages (both from one round service) and the scheduler that
// takes each round's snapshot on time. `podium serve`, the demo and the
// tests all start it through New, so what the demo and the tests run is
// what serve runs.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/snapshot"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/web"
	"github.com/podiumhq/podium/web/ui"
)

// Config is everything the caller decides about the server; New adds
// only the defaults each field names.
type Config struct {
	// Store is the database the server serves: its stats, and with a
	// Program its program versions and snapshots, taken under its Locker.
	// The caller opens it and closes it after Close.
	Store *store.DB
	// Packer starts the store's upkeep (folding and packing) in Start. Only
	// the process that owns the store sets it; the store's Close stops it.
	Packer bool

	// Program, when set, adds the round API (/api/v1/rounds…), the round
	// pages and the snapshot scheduler; ProgramText is its file as loaded,
	// which the API hands out.
	Program     *podium.Program
	ProgramText []byte
	// Registry gives names and payout addresses to the pages and the
	// snapshots; nil: addresses only.
	Registry podium.Registry
	// Payouts tracks each round's payout for the round pages and the API
	// (with a Program); nil: not tracked.
	Payouts round.Payouts

	// Secret signs posts; it must not be empty.
	Secret []byte
	// RequireTimestamp refuses posts without the replay-proof signature
	// header.
	RequireTimestamp bool
	// Regions are the regions records may come from, one row per region
	// and job type; nil: podium.LeaderboardRegions.
	Regions []podium.Region
	// MetricsToken, when set, is required by /metrics as a bearer token.
	MetricsToken []byte

	// Listen is the address of the API and the pages; a port of 0 picks a
	// free one (Addr tells which). A failure names the --listen flag.
	Listen string
	// MetricsListen, when set, serves /metrics on this address only, not
	// on Listen (e.g. a private interface). A failure names
	// --metrics-listen.
	MetricsListen string

	// SnapshotRetry is the scheduler's wait after a failed snapshot or a
	// busy lock; 0: the scheduler's default.
	SnapshotRetry time.Duration
	// OnSnapshot, when set, is called with each snapshot this process
	// takes (not one another replica took).
	OnSnapshot func(podium.StoredSnapshot)

	// Now is the clock of every part; nil: time.Now.
	Now func() time.Time
	// Logger receives the parts' logs; nil: discarded.
	Logger *slog.Logger
}

// explorers are the block explorers' transaction URLs by chain id, for the
// payout links of the round pages; a chain not listed (a dev chain) shows
// hashes without links.
var explorers = map[int64]string{
	1:        "https://etherscan.io/tx/",
	42161:    "https://arbiscan.io/tx/",
	421614:   "https://sepolia.arbiscan.io/tx/",
	11155111: "https://sepolia.etherscan.io/tx/",
}

// Server is the leaderboard server built from a Config. New builds it,
// Start opens its listeners and starts its parts, Close stops them.
type Server struct {
	cfg   Config
	web   *web.Server
	sched *snapshot.Scheduler // nil without a program

	ln        net.Listener
	metricsLn net.Listener
	metrics   *http.Server
	served    chan error // the API server's Serve result
	done      chan struct{}
	stopSched context.CancelFunc
	schedWG   sync.WaitGroup
}

// New builds the server's parts from cfg without starting any: the round
// service the round API and pages share, the pages, the API and the
// scheduler.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, podium.Errorf(podium.EINTERNAL, "server: a store is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Regions == nil {
		cfg.Regions = podium.LeaderboardRegions()
	}
	s := &Server{cfg: cfg, done: make(chan struct{})}
	// The pages show scores per place: the transcoding rows without GLOBAL
	// (their Global view is the average over the places), or the AI rows
	// of a leaderboard that tests AI only.
	places := podium.RegionsFor(cfg.Regions, podium.JobTranscoding)
	if len(places) == 0 {
		places = podium.RegionsFor(cfg.Regions, podium.JobAI)
	}
	if len(places) == 0 {
		return nil, podium.FieldError("regions", "list no region but GLOBAL").
			WithHint("list at least one place, e.g. `- {id: FRA, name: Frankfurt}`")
	}
	pages := ui.Config{Store: cfg.Store, Regions: places, Registry: cfg.Registry, Now: cfg.Now, Logger: cfg.Logger}
	var mount func(*http.ServeMux)
	if p := cfg.Program; p != nil {
		programs := cfg.Store.Programs()
		rounds := &round.Service{Program: p, Text: cfg.ProgramText, Stats: cfg.Store, Registry: cfg.Registry,
			Versions: programs, Payouts: cfg.Payouts, Now: cfg.Now}
		pages.Rounds = rounds
		pages.TxURL = explorers[p.Token.ChainID]
		mount = (&web.Rounds{Service: rounds, Logger: cfg.Logger}).Register
		s.sched = &snapshot.Scheduler{Stats: cfg.Store, Programs: programs, Locker: cfg.Store.Locker(),
			Registry: cfg.Registry, Program: p, Now: cfg.Now, Retry: cfg.SnapshotRetry,
			Logger: cfg.Logger.With("component", "snapshot"), OnTaken: cfg.OnSnapshot}
	}
	h, err := ui.New(pages)
	if err != nil {
		return nil, err
	}
	s.web, err = web.NewServer(cfg.Store, web.Config{
		Secret: cfg.Secret, RequireTimestamp: cfg.RequireTimestamp, Regions: cfg.Regions,
		Now: cfg.Now, Logger: cfg.Logger, Mount: mount, UI: h,
		MetricsToken: cfg.MetricsToken, MetricsElsewhere: cfg.MetricsListen != "",
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Start starts the packer if asked, opens the metrics listener and then
// the API's, and serves on them; then it starts the snapshot scheduler,
// which runs until ctx ends or Close. It returns once both listeners
// accept connections, or the first error with nothing left running.
func (s *Server) Start(ctx context.Context) error {
	if s.cfg.Packer {
		s.cfg.Store.StartPacker(s.cfg.Now)
	}
	if s.cfg.MetricsListen != "" {
		ln, err := net.Listen("tcp", s.cfg.MetricsListen)
		if err != nil {
			return podium.ListenError("--metrics-listen", s.cfg.MetricsListen, err)
		}
		s.metricsLn = ln
	}
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		if s.metricsLn != nil {
			s.metricsLn.Close()
		}
		return podium.ListenError("--listen", s.cfg.Listen, err)
	}
	s.ln = ln
	if s.metricsLn != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", s.web.Metrics())
		s.metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = s.metrics.Serve(s.metricsLn) }() // its end is Close's
	}
	s.served = make(chan error, 1)
	go func() {
		err := s.web.Serve(ln)
		close(s.done)
		s.served <- err
	}()
	sctx, cancel := context.WithCancel(ctx)
	s.stopSched = cancel
	if s.sched != nil {
		s.schedWG.Add(1)
		go func() {
			defer s.schedWG.Done()
			_ = s.sched.Run(sctx) // it logs its failures; it ends when every round has its snapshot, or with sctx
		}()
	}
	return nil
}

// Addr is the address the API listens on, once started.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the API's base URL, once started: "http://" and Addr.
func (s *Server) URL() string { return "http://" + s.Addr() }

// MetricsAddr is the address /metrics listens on with MetricsListen, once
// started; "" without it.
func (s *Server) MetricsAddr() string {
	if s.metricsLn == nil {
		return ""
	}
	return s.metricsLn.Addr().String()
}

// Done is closed when the API stops serving: after Close, or on its own
// when its listener fails, which Close then reports.
func (s *Server) Done() <-chan struct{} { return s.done }

// Close stops what a successful Start started, in reverse order: the scheduler (and
// waits for it), then the API, which lets requests in flight finish until
// ctx ends, then /metrics. It returns the shutdown's error, else the error
// the API stopped on. The store stays open for the caller to close.
func (s *Server) Close(ctx context.Context) error {
	s.stopSched()
	s.schedWG.Wait()
	shutdown := s.web.Close(ctx)
	if s.metrics != nil {
		_ = s.metrics.Close() // a scrape may be cut short; it is retried
	}
	served := <-s.served
	if shutdown != nil {
		return fmt.Errorf("shut down: %w", shutdown)
	}
	return served
}
