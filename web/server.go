// Package web is podium's HTTP side: the leaderboard API (a drop-in for
// Livepeer's leaderboard-serverless), health and metrics endpoints, and a
// client for the API.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/podiumhq/podium"
)

// DefaultMaxBodyBytes limits a posted record. A transcoding record is
// under 4 KiB; an AI record carries its request and response, which can
// pass 64 KiB (an image as base64) and are stored truncated
// (podium.MaxAIPayload).
const DefaultMaxBodyBytes = 1 << 20

// Config is what a Server needs besides its store.
type Config struct {
	// Secret signs posts; it must not be empty.
	Secret []byte
	// RequireTimestamp refuses posts without a valid SignatureHeader.
	RequireTimestamp bool
	// Regions are the regions records may come from, one row per region
	// and job type, as /api/regions lists them; default
	// podium.LeaderboardRegions.
	Regions []podium.Region
	// MaxBodyBytes limits a post body; default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Now is the clock; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// Mount, when set, adds more routes (the program API, Rounds.Register).
	Mount func(*http.ServeMux)
	// UI, when set, serves every path outside /api/ that no route claims:
	// the web pages. Without it such paths get the API's JSON 404.
	UI http.Handler
	// MetricsToken, when set, is required as a bearer token by /metrics.
	MetricsToken []byte
	// MetricsElsewhere leaves /metrics off the API's listener; the caller
	// serves Server.Metrics on one of its own.
	MetricsElsewhere bool
}

// Server serves the leaderboard API over one store.
type Server struct {
	store   podium.StatsStore
	regions []podium.Region
	known   podium.RegionSet
	maxBody int64
	now     func() time.Time
	logger  *slog.Logger
	auth    *authenticator
	metrics *metrics
	// metricsToken guards /metrics when set.
	metricsToken []byte
	handler      http.Handler

	http *http.Server
}

// NewServer returns a server over store. Each post is one AddStats call of
// one record, answered once it is durable; the stores commit concurrent
// calls together (group commit), so many posters share each transaction.
func NewServer(store podium.StatsStore, cfg Config) (*Server, error) {
	if len(cfg.Secret) == 0 {
		return nil, &podium.Error{Code: podium.EINVALID, Field: "secret", Message: "is empty",
			Hint: "set PODIUM_SECRET or pass --secret-file"}
	}
	if cfg.Regions == nil {
		cfg.Regions = podium.LeaderboardRegions()
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		store:   store,
		regions: cfg.Regions,
		known:   podium.NewRegionSet(cfg.Regions),
		maxBody: cfg.MaxBodyBytes,
		now:     cfg.Now,
		logger:  cfg.Logger,
		metrics: newMetrics(store),

		metricsToken: cfg.MetricsToken,
	}
	s.auth = &authenticator{secret: cfg.Secret, requireTimestamp: cfg.RequireTimestamp, now: cfg.Now, replays: newReplayGuard()}
	s.handler = s.routes(cfg.Mount, cfg.UI, !cfg.MetricsElsewhere)
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	return s, nil
}

func (s *Server) routes(mount func(*http.ServeMux), ui http.Handler, metrics bool) http.Handler {
	mux := http.NewServeMux()
	if mount != nil {
		mount(mux)
	}
	mux.HandleFunc("POST /api/post_stats", s.handlePostStats)
	mux.HandleFunc("GET /api/aggregated_stats", s.timed("aggregated_stats", s.handleAggregatedStats))
	mux.HandleFunc("GET /api/raw_stats", s.timed("raw_stats", s.handleRawStats))
	mux.HandleFunc("GET /api/regions", s.timed("regions", s.handleRegions))
	mux.HandleFunc("GET /api/pipelines", s.timed("pipelines", s.handlePipelines))        // pipelines.go
	mux.HandleFunc("GET /api/top_ai_score", s.timed("top_ai_score", s.handleTopAIScore)) // top_ai_score.go
	mux.HandleFunc("GET /api/v1/costs", s.timed("costs", s.handleCosts))
	mux.HandleFunc("POST /api/post_capacity", s.handlePostCapacity)
	mux.HandleFunc("GET /api/capacity", s.timed("capacity", s.handleCapacity))
	mux.HandleFunc("OPTIONS /api/", handlePreflight)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	if metrics {
		mux.Handle("GET /metrics", s.Metrics())
	} else {
		mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusNotFound, errorBody{Error: "/metrics is served on its own address", Hint: "ask the operator for the metrics address"})
		})
	}
	mux.HandleFunc("/api/", handleNoRoute)
	if ui != nil {
		mux.Handle("/", ui)
	} else {
		mux.HandleFunc("/", handleNoRoute)
	}
	return s.logRequests(mux)
}

// allowed lists the methods of each endpoint, for 405 answers.
var allowed = map[string]string{
	"/api/post_stats":       "POST, OPTIONS",
	"/api/aggregated_stats": "GET, HEAD, OPTIONS",
	"/api/raw_stats":        "GET, HEAD, OPTIONS",
	"/api/regions":          "GET, HEAD, OPTIONS",
	"/api/v1/costs":         "GET, HEAD, OPTIONS",
	"/api/post_capacity":    "POST, OPTIONS",
	"/api/capacity":         "GET, HEAD, OPTIONS",
	"/healthz":              "GET, HEAD",
	"/metrics":              "GET, HEAD",
}

// handleNoRoute answers what no endpoint serves, in JSON like the rest of
// the API: 405 for a known path with another method, else 404.
func handleNoRoute(w http.ResponseWriter, r *http.Request) {
	if allow, ok := allowed[r.URL.Path]; ok {
		w.Header().Set("Allow", allow)
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: r.Method + " is not allowed on " + r.URL.Path + "; use " + allow})
		return
	}
	writeJSON(w, http.StatusNotFound, errorBody{Error: "no such endpoint: " + r.URL.Path,
		Hint: "the API is /api/post_stats, /api/aggregated_stats, /api/raw_stats, /api/regions, /api/v1/costs, /api/post_capacity and /api/capacity"})
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve accepts connections on ln until Close; it returns nil after Close.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close stops accepting requests and lets those in flight finish (until ctx
// is done). It does not close the store.
func (s *Server) Close(ctx context.Context) error {
	return s.http.Shutdown(ctx)
}

// timed records the handler's latency in the query histogram.
func (s *Server) timed(endpoint string, h http.HandlerFunc) http.HandlerFunc {
	obs := s.metrics.query.WithLabelValues(endpoint)
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h(w, r)
		obs.Observe(time.Since(start).Seconds())
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.logger.Warn("health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "the store does not answer"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
