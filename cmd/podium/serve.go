package main

import (
	"context"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/server"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/web"
	"github.com/podiumhq/podium/web/ui"
)

// serveCmd is `podium serve`: it reads its flags and files and runs the
// server package's leaderboard server until ctx ends.
type serveCmd struct {
	m *Main

	listen           string
	dsn              string
	regions          string
	requireTimestamp bool
	shutdownTimeout  time.Duration
	program          string
	registry         string
	payouts          string // for the web UI's payout status
	metricsListen    string
}

func (m *Main) newServeCmd() *cobra.Command {
	c := &serveCmd{m: m}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the leaderboard API (a drop-in for Livepeer's leaderboard-serverless)",
		Long: `Serve the leaderboard API: POST /api/post_stats, GET /api/aggregated_stats,
/api/raw_stats, /api/regions, plus /healthz and /metrics.

Posts are signed with the secret from $PODIUM_SECRET, $PODIUM_SECRET_FILE,
--secret-file or podium.yaml (secret_file). Every flag can also be set in
podium.yaml or the environment: see podium config serve and docs/config.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.listen, "listen", "127.0.0.1:8088", "address to listen on")
	f.StringVar(&c.dsn, "db", "./podium.db", "database: a SQLite path (or sqlite:PATH) or a postgres:// URL")
	f.StringVar(&c.regions, "regions", "", "YAML list of regions {id, name, type or types: [transcoding, ai]} (default leaderboard-serverless's seeded regions)")
	f.String("secret-file", "", "file holding the HMAC secret (instead of $PODIUM_SECRET)")
	f.BoolVar(&c.requireTimestamp, "require-timestamp", false, "refuse posts without the replay-proof "+web.SignatureHeader+" header")
	f.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 15*time.Second, "how long to let requests in flight finish on shutdown")
	f.StringVar(&c.program, "program", "", "program file: serve /api/v1/rounds and the round pages, and take each round's snapshot at its time")
	f.StringVar(&c.registry, "registry", "", "registry CSV: names and payout addresses for the snapshots and the web UI")
	f.StringVar(&c.payouts, "payouts", "", "directory of payout plans and their journals: payout status in the web UI (with --program)")
	f.StringVar(&c.metricsListen, "metrics-listen", "", "serve /metrics on this address only, not on --listen (e.g. a private interface)")
	f.String("metrics-token-file", "", "file holding a token /metrics requires as `Authorization: Bearer TOKEN`")
	return cmd
}

// Run serves until ctx ends, then lets requests in flight finish for up to
// --shutdown-timeout.
func (c *serveCmd) Run(ctx context.Context) error {
	m := c.m
	secret, err := m.loadSecret()
	if err != nil {
		return err
	}
	regions, err := loadRegions(c.regions)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, c.dsn, m.Logger)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg := server.Config{
		Store: st, Packer: true, // serve owns the store's upkeep
		Secret: secret, RequireTimestamp: c.requireTimestamp, Regions: regions,
		Listen: c.listen, MetricsListen: c.metricsListen,
		Now: m.Now, Logger: m.Logger,
	}
	if t := m.setting("serve.metrics_token"); t != "" { // from --metrics-token-file or the config
		cfg.MetricsToken = []byte(t)
	}
	if c.registry != "" {
		cfg.Registry = &registry.File{Path: c.registry}
	}
	if err := c.loadProgram(&cfg); err != nil {
		return err
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	if c.metricsListen != "" {
		m.ready("serve-metrics", srv.MetricsAddr())
	}
	m.ready("serve", srv.Addr())

	select {
	case <-srv.Done(): // the listener failed: Close says why
		return srv.Close(context.Background())
	case <-ctx.Done():
	}
	m.Logger.Info("shutting down", "component", "serve")
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	return srv.Close(sctx)
}

// loadProgram adds --program to cfg, and with --payouts the payout progress
// from the plans and journals in that directory; without --program it adds
// nothing.
func (c *serveCmd) loadProgram(cfg *server.Config) error {
	if c.program == "" {
		return nil
	}
	p, text, err := program.Load(c.program)
	if err != nil {
		return err
	}
	cfg.Program, cfg.ProgramText = p, text
	if c.payouts != "" {
		if fi, err := os.Stat(c.payouts); err != nil || !fi.IsDir() {
			return podium.FieldError("--payouts", "%s is not a directory", c.payouts).
				WithHint("pass the directory where `podium payout plan --out` wrote the plans")
		}
		cfg.Payouts = &ui.PlanPayouts{Dir: c.payouts, Program: p.Name}
	}
	return nil
}
