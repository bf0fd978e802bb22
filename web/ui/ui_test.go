package ui_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/podiumhq/podium"
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

// uiConfig is the configuration of the seeded site over st.
func uiConfig(t *testing.T, st podium.StatsStore) ui.Config {
	t.Helper()
	return ui.Config{Store: st}
}

func TestHandler_Smoke(t *testing.T) {
	h := newHandler(t, ui.Config{})
	for _, p := range []string{"/", "/?region=FRA&window=7d", "/orchestrators/" + addr(4) + "?window=7d", "/orchestrators/" + addr(5), "/rounds"} {
		code, body := get(t, h, p)
		if code != 200 {
			t.Errorf("%s: status %d: %s", p, code, body)
		}
	}
}
