package ui_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/web/ui"
)

func newHandler(t *testing.T, cfg ui.Config) *ui.Handler {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = newStore(t)
	}
	if cfg.Regions == nil {
		cfg.Regions = podium.DefaultRegions()
	}
	if cfg.Registry == nil {
		cfg.Registry = seedRegistry()
	}
	cfg.Now = func() time.Time { return testNow }
	cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	h, err := ui.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// get fetches path from h and returns the status and body.
func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b)
}

// uiConfig is the configuration of the seeded site over st, with the
// seeded program published and round 1 paid.
func uiConfig(t *testing.T, st backend) ui.Config {
	t.Helper()
	rounds := programRounds(t, st)
	rounds.Payouts = seedPayouts(t, rounds)
	return ui.Config{Store: st, Rounds: rounds, TxURL: "https://arbiscan.io/tx/"}
}

func programRounds(t *testing.T, st backend) *round.Service {
	t.Helper()
	p := seedProgram(t, st)
	text, err := os.ReadFile("testdata/program-v2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return &round.Service{Program: p, Text: text, Stats: st, Registry: seedRegistry(), Versions: st, Now: func() time.Time { return testNow }}
}

// TestHandler_ServeHTTP runs every page over SQLite and PostgreSQL.
func TestHandler_ServeHTTP(t *testing.T) {
	for _, b := range []struct {
		name string
		open func(*testing.T) backend
	}{{"SQLite", newStore}, {"PostgreSQL", newPostgresStore}} {
		t.Run(b.name, func(t *testing.T) { testPages(t, b.open(t)) })
	}
}

func testPages(t *testing.T, st backend) {
	h := newHandler(t, uiConfig(t, st))
	for _, tt := range []struct {
		name, path string
		status     int
		contains   string
	}{
		{"OK/Leaderboard", "/", 200, "fast.eth"},
		{"OK/LeaderboardRegionWindow", "/?region=fra&window=7d&sort=latency&order=asc", 200, "frankfurt-only"},
		{"OK/LeaderboardCustom", "/?window=custom&since=2026-11-20&until=2026-11-21T06:00", 200, "2026-11-21 06:00 UTC"},
		{"OK/LeaderboardUnixWindow", "/?window=custom&since=1795176000&until=1795262400.5", 200, "2026-11-20 12:00 UTC"},
		{"OK/Search", "/?q=CHEAT", 200, "cheater"},
		{"OK/Orchestrator", "/orchestrators/" + addr(4) + "?window=7d", 200, "frankfurt-only"},
		{"OK/OrchestratorUppercase", "/orchestrators/" + strings.ToUpper(addr(5)[2:]), 400, "not an orchestrator address"},
		{"OK/OrchestratorRegistryOnly", "/orchestrators/" + addr(8), 200, "No test in this window."},
		{"OK/Rounds", "/rounds", 200, "Round 3"},
		{"OK/RoundsPhase", "/rounds", 200, `<span class="phase">final</span>`},
		{"OK/RoundOver", "/rounds/1", 200, "Distribution"},
		{"OK/RoundRunning", "/rounds/2", 200, "Projection"},
		{"OK/RoundUpcoming", "/rounds/3", 200, "upcoming"},
		{"OK/Static", "/static/style.css", 200, "--accent"},
		{"ErrInvalid/Region", "/?region=XYZ", 400, "unknown region"},
		{"ErrInvalid/Window", "/?window=1y", 400, "unknown window"},
		{"ErrInvalid/SinceAfterUntil", "/?window=custom&since=2026-11-22&until=2026-11-21", 400, "must be before until"},
		{"ErrInvalid/SinceMissing", "/?window=custom", 400, "is required for a custom window"},
		{"ErrInvalid/SinceGarbage", "/?window=custom&since=yesterday", 400, "is not a time"},
		{"ErrInvalid/Sort", "/?sort=height", 400, "unknown column"},
		{"ErrInvalid/Order", "/?order=up", 400, "must be asc or desc"},
		{"ErrInvalid/Address", "/orchestrators/0x123", 400, "not an orchestrator address"},
		{"ErrInvalid/RoundID", "/rounds/one", 400, "not a round number"},
		{"ErrNotFound/Orchestrator", "/orchestrators/0x" + strings.Repeat("ee", 20), 404, "never tested"},
		{"ErrNotFound/Round", "/rounds/9", 404, "no round 9"},
		{"ErrNotFound/Download", "/rounds/3/distribution.json", 404, "has no distribution.json yet"},
		{"ErrNotFound/Page", "/nowhere", 404, "no page at /nowhere"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, h, tt.path)
			if code != tt.status {
				t.Errorf("GET %s: status %d, want %d", tt.path, code, tt.status)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("GET %s: the page does not say %q", tt.path, tt.contains)
			}
		})
	}
}

func TestHandler_NoProgram(t *testing.T) {
	h := newHandler(t, ui.Config{})
	if code, body := get(t, h, "/rounds"); code != 200 || !strings.Contains(body, "No program is loaded") {
		t.Errorf("/rounds without a program: %d %s", code, body)
	}
	if code, body := get(t, h, "/rounds/1"); code != 404 || !strings.Contains(body, "--program") {
		t.Errorf("/rounds/1 without a program: %d %s", code, body)
	}
}

func TestNew(t *testing.T) {
	st := newStore(t)
	for _, tt := range []struct {
		name string
		cfg  ui.Config
		err  string
	}{
		{"ErrInvalid/NoStore", ui.Config{Regions: podium.DefaultRegions()}, "stats store is required"},
		{"ErrInvalid/NoRegions", ui.Config{Store: st}, "at least one region"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ui.New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("New: %v, want %q", err, tt.err)
			}
		})
	}
}

// TestHandler_Reward checks an orchestrator's page once no round runs: it
// shows the latest round's reward from the frozen snapshot, and its payout.
func TestHandler_Reward(t *testing.T) {
	st := newStore(t)
	cfg := uiConfig(t, st)
	later := func() time.Time { return time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC) }
	cfg.Now, cfg.Regions, cfg.Registry = later, podium.DefaultRegions(), seedRegistry()
	cfg.Rounds.(*round.Service).Now = later
	h, err := ui.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, addr string
		says       []string
	}{
		{"OK/Paid", addr(1), []string{"Round 1: reward", "1,600 LPT", `class="status confirmed"`, "https://arbiscan.io/tx/0x"}},
		{"OK/Sent", addr(7), []string{"Round 1: reward", "1,400 LPT", `class="status sent"`}},
		{"OK/NotARecipient", addr(5), []string{"Round 1: reward", "Not among the recipients of this round."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, h, "/orchestrators/"+tt.addr)
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			for _, s := range tt.says {
				if !strings.Contains(body, s) {
					t.Errorf("the page does not say %q", s)
				}
			}
		})
	}
}

func TestHandler_SecurityHeaders(t *testing.T) {
	h := newHandler(t, ui.Config{})
	for _, path := range []string{"/", "/rounds", "/nowhere", "/static/style.css"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q lacks frame-ancestors 'none'", path, csp)
		}
		if rp := rec.Header().Get("Referrer-Policy"); rp != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q, want no-referrer", path, rp)
		}
	}
}

func TestHandler_SharedEndpoint(t *testing.T) {
	reg := seedRegistry()
	squatter := "0x" + strings.Repeat("5a", 20)
	for _, o := range reg {
		if o.Address == addr(4) {
			reg = append(reg, podium.Orchestrator{Address: squatter, Name: "squatter", ServiceURI: o.ServiceURI, Active: true})
			break
		}
	}
	h := newHandler(t, ui.Config{Registry: reg})
	for _, tt := range []struct{ page, other string }{{addr(4), squatter}, {squatter, addr(4)}} {
		code, body := get(t, h, "/orchestrators/"+tt.page)
		if code != 200 || !strings.Contains(body, `id="shared"`) || !strings.Contains(body, "Shares its service URI") || !strings.Contains(body, `href="/orchestrators/`+tt.other+`"`) {
			t.Errorf("%s: %d, the page does not flag the URI shared with %s", tt.page, code, tt.other)
		}
	}
	if _, body := get(t, h, "/orchestrators/"+addr(5)); strings.Contains(body, `id="shared"`) {
		t.Errorf("%s shares nothing but is flagged", addr(5))
	}
}
