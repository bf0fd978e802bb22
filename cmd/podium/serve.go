package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/web"
)

// serveOptions are the flags of `podium serve`.
type serveOptions struct {
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
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the leaderboard API (a drop-in for Livepeer's leaderboard-serverless)",
		Long: `Serve the leaderboard API: POST /api/post_stats, GET /api/aggregated_stats,
/api/raw_stats, /api/regions, plus /healthz and /metrics.

Posts are signed with the secret from $PODIUM_SECRET, $PODIUM_SECRET_FILE,
--secret-file or podium.yaml (secret_file). Every flag can also be set in
podium.yaml or the environment: see podium config serve and docs/config.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return m.runServe(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", "127.0.0.1:8088", "address to listen on")
	f.StringVar(&o.dsn, "db", "./podium.db", "database: a SQLite path (or sqlite:PATH) or a postgres:// URL")
	f.StringVar(&o.regions, "regions", "", "YAML list of regions {id, name, type} (default MDW, FRA, SIN)")
	f.String("secret-file", "", "file holding the HMAC secret (instead of $PODIUM_SECRET)")
	f.BoolVar(&o.requireTimestamp, "require-timestamp", false, "refuse posts without the replay-proof "+web.SignatureHeader+" header")
	f.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 15*time.Second, "how long to let requests in flight finish on shutdown")
	f.StringVar(&o.program, "program", "", "program file: serve /api/v1/rounds and the round pages, and take each round's snapshot at its time")
	f.StringVar(&o.registry, "registry", "", "registry CSV: names and payout addresses for the snapshots and the web UI")
	f.StringVar(&o.payouts, "payouts", "", "directory of payout plans and their journals: payout status in the web UI (with --program)")
	f.StringVar(&o.metricsListen, "metrics-listen", "", "serve /metrics on this address only, not on --listen (e.g. a private interface)")
	f.String("metrics-token-file", "", "file holding a token /metrics requires as `Authorization: Bearer TOKEN`")
	return cmd
}

func (m *Main) runServe(ctx context.Context, o serveOptions) error {
	secret, err := m.loadSecret()
	if err != nil {
		return err
	}
	regions, err := loadRegions(o.regions)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, o.dsn, m.Logger)
	if err != nil {
		return err
	}
	defer st.Close()
	st.StartPacker(m.Now) // serve owns the store's upkeep
	prog, err := m.newProgramService(o, st)
	if err != nil {
		return err
	}
	defer prog.start(ctx)()
	pages, err := m.newUI(st, regions, o, prog)
	if err != nil {
		return err
	}
	var token []byte // from --metrics-token-file or the config (configure)
	if t := m.setting("serve.metrics_token"); t != "" {
		token = []byte(t)
	}
	srv, err := web.NewServer(st, web.Config{
		Secret: secret, RequireTimestamp: o.requireTimestamp, Regions: regions,
		Now: m.Now, Logger: m.Logger, Mount: prog.mount(m), UI: pages,
		MetricsToken: token, MetricsElsewhere: o.metricsListen != "",
	})
	if err != nil {
		return err
	}
	if o.metricsListen != "" {
		stop, err := m.serveMetrics(o.metricsListen, srv.Metrics())
		if err != nil {
			return err
		}
		defer stop()
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return &podium.Error{Code: podium.EINVALID, Field: "--listen", Message: fmt.Sprintf("cannot listen on %s", o.listen), Err: err,
			Hint: "pick a free address, e.g. --listen 127.0.0.1:0"}
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	m.ready("serve", ln.Addr().String())

	select {
	case err := <-served:
		srv.Close(context.Background())
		return err
	case <-ctx.Done():
	}
	m.Logger.Info("shutting down", "component", "serve")
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := srv.Close(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return <-served
}

// serveMetrics serves h at /metrics on addr until the returned stop.
func (m *Main) serveMetrics(addr string, h http.Handler) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, &podium.Error{Code: podium.EINVALID, Field: "--metrics-listen", Message: fmt.Sprintf("cannot listen on %s", addr), Err: err,
			Hint: "pick a free address, e.g. --metrics-listen 127.0.0.1:0"}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	m.ready("serve-metrics", ln.Addr().String())
	return func() { _ = hs.Close() }, nil
}
