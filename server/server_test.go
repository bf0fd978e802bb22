package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/server"
	"github.com/podiumhq/podium/store"
)

// openStore opens a fresh SQLite store that the test closes when it ends.
func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// baseConfig is a leaderboard on a free port over a fresh store.
func baseConfig(t *testing.T) server.Config {
	t.Helper()
	return server.Config{Store: openStore(t), Secret: []byte("server-test"), Listen: "127.0.0.1:0"}
}

// start builds and starts a server for cfg, closed when the test ends.
func start(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(context.Background()); err != nil {
			t.Errorf("close: %v", err)
		}
		select {
		case <-srv.Done():
		default:
			t.Error("the API still serves after Close")
		}
	})
	return srv
}

// get returns the status and body of GET url.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// busy returns an address something already listens on, until the test ends.
func busy(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

func TestServer_New(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv := start(t, baseConfig(t))
		for path, want := range map[string]int{
			"/healthz":        http.StatusOK,
			"/api/regions":    http.StatusOK,
			"/metrics":        http.StatusOK,
			"/":               http.StatusOK, // the leaderboard page
			"/api/v1/rounds":  http.StatusNotFound,
			"/api/no-such-at": http.StatusNotFound,
		} {
			if status, body := get(t, srv.URL()+path); status != want {
				t.Errorf("%s: %d %s, want %d", path, status, body, want)
			}
		}
		if srv.MetricsAddr() != "" {
			t.Errorf("metrics address %q without MetricsListen", srv.MetricsAddr())
		}
	})
	t.Run("OKPacker", func(t *testing.T) {
		cfg := baseConfig(t)
		cfg.Packer = true
		srv := start(t, cfg)
		if status, body := get(t, srv.URL()+"/healthz"); status != http.StatusOK {
			t.Errorf("/healthz with the packer running: %d %s", status, body)
		}
	})
	t.Run("OKMetricsListen", func(t *testing.T) {
		cfg := baseConfig(t)
		cfg.MetricsListen = "127.0.0.1:0"
		cfg.MetricsToken = []byte("t0ken")
		srv := start(t, cfg)
		if status, _ := get(t, srv.URL()+"/metrics"); status != http.StatusNotFound {
			t.Errorf("/metrics on the API's address: %d, want 404", status)
		}
		if status, _ := get(t, "http://"+srv.MetricsAddr()+"/metrics"); status != http.StatusUnauthorized {
			t.Errorf("/metrics without the token: %d, want 401", status)
		}
	})
	t.Run("OKProgram", testServerProgram)
	t.Run("OKAIOnly", func(t *testing.T) {
		// An AI leaderboard (the explorer reads a second server for AI):
		// its pages list its AI places.
		cfg := baseConfig(t)
		cfg.Regions = []podium.Region{{ID: "GLOBAL", Name: "Global", Type: podium.JobAI}, {ID: "LAX", Name: "Los Angeles", Type: podium.JobAI}}
		srv := start(t, cfg)
		if status, body := get(t, srv.URL()+"/"); status != http.StatusOK || !strings.Contains(body, "LAX") {
			t.Errorf("/: %d, want 200 listing LAX:\n%s", status, body)
		}
	})

	for _, tt := range []struct {
		name  string
		edit  func(t *testing.T, cfg *server.Config)
		field string // the *podium.Error's field
		start bool   // New succeeds, Start fails
	}{
		{"ErrNoStore", func(_ *testing.T, cfg *server.Config) { cfg.Store = nil }, "", false},
		{"ErrNoSecret", func(_ *testing.T, cfg *server.Config) { cfg.Secret = nil }, "secret", false},
		{"ErrOnlyGlobal", func(_ *testing.T, cfg *server.Config) {
			cfg.Regions = []podium.Region{{ID: "GLOBAL", Name: "Global", Type: podium.JobTranscoding}}
		}, "regions", false},
		{"ErrListen", func(t *testing.T, cfg *server.Config) { cfg.Listen = busy(t) }, "--listen", true},
		{"ErrMetricsListen", func(t *testing.T, cfg *server.Config) { cfg.MetricsListen = busy(t) }, "--metrics-listen", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig(t)
			tt.edit(t, &cfg)
			srv, err := server.New(cfg)
			if tt.start {
				if err != nil {
					t.Fatal(err)
				}
				err = srv.Start(context.Background())
			}
			if err == nil {
				t.Fatal("no error")
			}
			if got := podium.ErrorField(err); got != tt.field {
				t.Errorf("error %v names %q, want %q", err, got, tt.field)
			}
			if tt.start && podium.ErrorCode(err) != podium.EINVALID {
				t.Errorf("error %v has code %s, want %s", err, podium.ErrorCode(err), podium.EINVALID)
			}
		})
	}
}

// testServerProgram serves the Round 1 week just after its snapshot time:
// the scheduler takes the snapshot on its own, and the round API answers
// with the distribution the rules give.
func testServerProgram(t *testing.T) {
	cfg := baseConfig(t)
	if _, err := cfg.Store.AddStats(context.Background(), round1.Records()); err != nil {
		t.Fatal(err)
	}
	p, text, err := program.Load("../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	reg := filepath.Join(t.TempDir(), "registry.csv")
	if err := os.WriteFile(reg, []byte(round1.Registry), 0o644); err != nil {
		t.Fatal(err)
	}
	taken := make(chan podium.StoredSnapshot, 1)
	cfg.Program, cfg.ProgramText, cfg.Registry = p, text, &registry.File{Path: reg}
	cfg.Now = func() time.Time { return round1.At.Add(time.Minute) }
	cfg.OnSnapshot = func(s podium.StoredSnapshot) { taken <- s }
	srv := start(t, cfg)

	var snap podium.StoredSnapshot
	select {
	case snap = <-taken:
	case <-time.After(30 * time.Second):
		t.Fatal("the scheduler took no snapshot")
	}
	status, body := get(t, srv.URL()+"/api/v1/rounds/1/distribution")
	if status != http.StatusOK {
		t.Fatalf("distribution: %d %s", status, body)
	}
	d, err := podium.ParseDistribution([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := round1.Describe(*d); got != round1.Want || d.SnapshotID != snap.ID {
		t.Fatalf("distribution of snapshot %s\n got:\n%s\nwant:\n%s", snap.ID, got, round1.Want)
	}
	if status, body := get(t, srv.URL()+"/rounds/1"); status != http.StatusOK {
		t.Fatalf("round page: %d %s", status, body)
	}
}
