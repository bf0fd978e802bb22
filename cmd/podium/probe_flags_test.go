package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

func TestProbe_Flags(t *testing.T) {
	dir := t.TempDir()
	reg := writeRegistry(t, filepath.Join(dir, "r.csv"), nil)
	base := func(more ...string) []string {
		return append([]string{"probe", "--once", "--region", "FRA", "--leaderboard", "http://127.0.0.1:1",
			"--orchestrators", reg, "--spool", filepath.Join(dir, "spool")}, more...)
	}
	for _, tc := range []struct {
		name  string
		env   map[string]string
		args  []string
		field string
	}{
		{"ErrNoRegion", nil, []string{"probe", "--once", "--leaderboard", "http://x:1", "--orchestrators", reg}, "--region"},
		{"ErrNoLeaderboard", nil, []string{"probe", "--once", "--region", "FRA", "--orchestrators", reg}, "--leaderboard"},
		{"ErrBadLeaderboard", nil, []string{"probe", "--once", "--region", "FRA", "--leaderboard", "127.0.0.1:1", "--orchestrators", reg}, "--leaderboard"},
		{"ErrNoRegistry", nil, []string{"probe", "--once", "--region", "FRA", "--leaderboard", "http://x:1"}, "--orchestrators"},
		{"ErrRPCAndFile", nil, base("--rpc", "http://127.0.0.1:8545"), "--rpc"},
		{"ErrControllerWithoutRPC", nil, base("--controller", "0x1111111111111111111111111111111111111111"), "--controller"},
		{"ErrBadController", nil, []string{"probe", "--once", "--region", "FRA", "--leaderboard", "http://127.0.0.1:1",
			"--rpc", "http://127.0.0.1:1", "--controller", "0x12", "--spool", filepath.Join(dir, "spool")}, "--controller"},
		{"ErrSegments", nil, base("--segments", "0"), "--segments"},
		{"ErrConcurrency", nil, base("--concurrency", "0"), "--concurrency"},
		{"ErrJitter", nil, base("--jitter", "1.5"), "--jitter"},
		{"ErrProfile", nil, base("--profiles", "P9000p"), "profile"},
		{"ErrTransport", nil, base("--transport", "pigeon"), "--transport"},
		{"ErrBroadcasterMissing", nil, base("--transport", "broadcaster"), "--broadcaster"},
		{"ErrTransportFor", nil, base("--transport-for", "nobody=direct"), "--transport-for"},
		{"ErrCanaryURL", nil, base("--canary", "http://a:1", "--canary", "ftp://b"), "--canary"},
		{"ErrMaxPriceWithoutPay", nil, base("--max-price", "1200"), "--max-price"},
		{"ErrPayWithoutKeystore", nil, base("--pay-rpc", "http://127.0.0.1:1"), "--sender-keystore"},
		{"ErrPayAndKey", nil, base("--pay-rpc", "http://127.0.0.1:1", "--sender-keystore", "k", "--sender-passphrase-file", "p", "--key", "x"), "--key"},
		{"ErrCapacityCeiling", nil, base("--capacity", "--capacity-ceiling", "0"), "--capacity-ceiling"},
		{"ErrCapacityCeilingHigh", nil, base("--capacity-ceiling", "65"), "--capacity-ceiling"},
		{"ErrCapacityInterval", nil, base("--capacity-interval", "-1h"), "--capacity-interval"},
		{"ErrBadMaxPrice", nil, base("--pay-rpc", "http://127.0.0.1:1", "--sender-keystore", "k", "--sender-passphrase-file", "p", "--max-price", "cheap"), "--max-price"},
		{"ErrNoSecret", map[string]string{}, base(), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.env
			if env == nil {
				env = map[string]string{"PODIUM_SECRET": "s"}
			}
			m, _, _ := testMain(t, env)
			err := m.Run(context.Background(), tc.args)
			if podium.ErrorCode(err) != podium.EINVALID {
				t.Fatalf("err = %v, want an invalid-input error", err)
			}
			if podium.ErrorField(err) != tc.field {
				t.Errorf("field = %q, want %q (%v)", podium.ErrorField(err), tc.field, err)
			}
		})
	}
	t.Run("ErrUnknownRegion", func(t *testing.T) {
		board := startServe(t, "--db", filepath.Join(t.TempDir(), "b.db"))
		m, _, _ := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
		err := m.Run(context.Background(), []string{"probe", "--once", "--region", "xyz", "--leaderboard", board,
			"--orchestrators", reg, "--spool", filepath.Join(dir, "spool3")})
		if podium.ErrorField(err) != "--region" || !strings.Contains(podium.ErrorHint(err), "FRA") {
			t.Fatalf("err = %v (hint %q)", err, podium.ErrorHint(err))
		}
	})
	t.Run("ErrBadRegistry", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.csv")
		writeFile(t, bad, "address,uri\n")
		m, _, _ := testMain(t, map[string]string{"PODIUM_SECRET": "s"})
		err := m.Run(context.Background(), []string{"probe", "--once", "--region", "FRA", "--leaderboard", "http://127.0.0.1:1",
			"--orchestrators", bad, "--spool", filepath.Join(dir, "spool2")})
		if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(err.Error(), "header") {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestProbe_Run runs the long-running prober while its leaderboard is
// killed and restarted: cycles go on, progress is printed, /metrics counts
// them, and every record of every cycle ends up stored exactly once.
func TestProbe_Run(t *testing.T) {
	gone := &target{name: "gone", fault: "down"}
	startTarget(t, gone, 300)
	reg := writeRegistry(t, filepath.Join(t.TempDir(), "r.csv"), []*target{gone})
	db, port, spool := filepath.Join(t.TempDir(), "b.db"), freePort(t), filepath.Join(t.TempDir(), "spool")
	lb := startBoard(t, db, port)
	defer func() { lb.kill(t) }()

	m, _, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	m.Logger = newInfoLogger(stderr)
	metrics := make(chan string, 1)
	m.Ready = func(name, addr string) {
		if name == "metrics" {
			metrics <- addr
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"probe", "--region", "FRA", "--leaderboard", "http://" + port, "--orchestrators", reg,
			"--segments", "1", "--interval", "100ms", "--retry-interval", "100ms", "--seed", "3", "--capacity-interval", "0",
			"--metrics", "127.0.0.1:0", "--spool", spool})
	}()
	var addr string
	select {
	case addr = <-metrics:
	case err := <-done:
		t.Fatalf("probe ended: %v\n%s", err, stderr)
	case <-time.After(20 * time.Second):
		t.Fatal("no metrics endpoint")
	}
	waitCycles(t, addr, 2)
	lb.kill(t)
	waitCycles(t, addr, 5)
	if body := scrape(t, addr); strings.Contains(body, `podium_probe_spool_records{region="FRA"} 0`) {
		t.Fatalf("with the leaderboard down, records must wait in the spool:\n%s", body)
	}
	lb = startBoard(t, db, port)
	waitCycles(t, addr, 8)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(scrape(t, addr), `podium_probe_spool_records{region="FRA"} 0`) {
		if time.Now().After(deadline) {
			t.Fatalf("the spool was not drained once the leaderboard was back:\n%s", scrape(t, addr))
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("probe: %v", err)
	}

	if !strings.Contains(stderr.String(), "[1/1] "+gone.addr+" success=0.00") {
		t.Errorf("no progress line in:\n%s", stderr)
	}
	recorded := strings.Count(stderr.String(), "recorded=1")
	left, _ := filepath.Glob(filepath.Join(spool, "*.json"))
	raw, err := web.NewClient("http://"+port, nil).RawStats(context.Background(),
		podium.StatsQuery{Orchestrator: gone.addr, Since: 1, Until: time.Now().Unix() + 60})
	if err != nil {
		t.Fatal(err)
	}
	// A record both stored and still spooled is one whose acknowledgement
	// the stop cut short: it is posted again later and stored once.
	ids := map[string]bool{}
	for _, r := range raw["FRA"] {
		ids[r.TestID] = true
	}
	for _, f := range left {
		var r podium.Stats
		if b, err := os.ReadFile(f); err != nil || json.Unmarshal(b, &r) != nil {
			t.Fatalf("spooled %s: %v", f, err)
		}
		ids[r.TestID] = true
	}
	if len(ids) != recorded || len(raw["FRA"]) > recorded || recorded < 8 {
		t.Fatalf("%d records made, %d stored, %d still spooled, %d in all: none may be lost or doubled", recorded, len(raw["FRA"]), len(left), len(ids))
	}
	if raw["FRA"][0].Errors[0].ErrorCode != "Unreachable" {
		t.Errorf("stored %+v; want Unreachable", raw["FRA"][0])
	}
}

var cyclesRE = regexp.MustCompile(`podium_probe_cycles_total\{region="FRA"\} (\d+)`)

// waitCycles waits until /metrics at addr counts n cycles.
func waitCycles(t *testing.T, addr string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		body := scrape(t, addr)
		if mm := cyclesRE.FindStringSubmatch(body); mm != nil {
			if got, _ := strconv.Atoi(mm[1]); got >= n {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d cycles in /metrics:\n%s", n, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
