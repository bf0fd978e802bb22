// Package ui serves podium's web pages: the leaderboard, one page per
// orchestrator and one per round. Pages are rendered on the server from
// embedded templates, charts are SVG drawn in Go, and every view is a URL, so
// the site works offline, without JavaScript and from a phone.
//
// The handler depends only on interfaces: podium.StatsStore for the scores and
// the tests, podium.Registry for names, and Rounds (declared here, served by
// the round service) for the program's rounds and their payment status.
package ui

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/podiumhq/podium"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the handler needs. Store and Regions are required; the rest
// is optional and the pages say so where it is missing.
type Config struct {
	Store    podium.StatsStore
	Regions  []podium.Region
	Registry podium.Registry // names and service URIs; nil: addresses only
	Rounds   Rounds          // the program's rounds; nil: no program loaded

	// TxURL is the block explorer's transaction URL prefix, for example
	// "https://arbiscan.io/tx/"; empty shows hashes without links.
	TxURL string

	Now    func() time.Time
	Logger *slog.Logger
}

// Handler serves the web UI. It is mounted at "/" next to the API.
type Handler struct {
	cfg   Config
	mux   *http.ServeMux
	pages map[string]*template.Template
}

// New returns a Handler for cfg.
func New(cfg Config) (*Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("ui: a stats store is required")
	}
	if len(cfg.Regions) == 0 {
		return nil, errors.New("ui: at least one region is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), pages: pages}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	h.mux.Handle("GET /static/", cacheFor(time.Hour, http.StripPrefix("/static/", http.FileServerFS(static))))
	h.mux.HandleFunc("GET /{$}", h.leaderboard)
	h.mux.HandleFunc("GET /orchestrators/{address}", h.orchestrator)
	h.mux.HandleFunc("GET /rounds", h.rounds)
	h.mux.HandleFunc("GET /rounds/{id}", h.round)
	h.mux.HandleFunc("GET /rounds/{id}/{file}", h.download)
	h.mux.HandleFunc("/", h.notFound)
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// No page may be framed (clickjacking), and no address or query of
	// ours leaks to the sites the pages link to (explorers, forums).
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Frame-Options", "DENY")
	h.mux.ServeHTTP(w, r)
}

func cacheFor(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age="+itoa(int64(d/time.Second)))
		next.ServeHTTP(w, r)
	})
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, podium.Errorf(podium.ENOTFOUND, "no page at %s", r.URL.Path).WithHint("start from the leaderboard"))
}
