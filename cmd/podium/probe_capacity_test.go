package main

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/probe"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web"
)

// startCapacityTarget serves a reference orchestrator of the given
// capacity (sessions) in tg's fault mode.
func startCapacityTarget(t *testing.T, tg *target, capacity int, seed int64) {
	t.Helper()
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(seed))
	tg.addr = strings.ToLower(signer.Address().Hex())
	fault, err := node.ParseFault(tg.fault)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tg.uri = "https://" + ln.Addr().String()
	o := &node.Orchestrator{Signer: signer, Fault: fault, Seed: seed, ServiceURI: tg.uri, Capacity: capacity,
		SessionIdle: time.Second, FFmpeg: &node.FFmpeg{Threads: 1}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("orchestrator %s: %v", tg.name, err)
		}
	})
}

// TestProbe_Capacity runs `podium probe --once --capacity` against a real
// leaderboard and reference nodes: every orchestrator's capacity test runs
// in the cycle, its progress and table are printed, and its signed record
// is stored and served by GET /api/capacity. A node that refuses every
// session is recorded as capped at 0, not failed. A capacity record a
// killed run left in the spool is posted by this run, once.
func TestProbe_Capacity(t *testing.T) {
	one := &target{name: "one-session", fault: "none"}
	full := &target{name: "full", fault: "capped"}
	startCapacityTarget(t, one, 1, 1901)
	startCapacityTarget(t, full, 4, 1902)
	dir := t.TempDir()
	reg := writeRegistry(t, filepath.Join(dir, "r.csv"), []*target{one, full})
	board := startServe(t, "--db", filepath.Join(dir, "b.db"))
	spool, err := probe.OpenSpool(filepath.Join(dir, "spool"))
	if err != nil {
		t.Fatal(err)
	}
	left := storetest.CapacityRecord(7, "FRA", time.Now().Unix()-3600)
	if err := spool.PutCapacity(left); err != nil {
		t.Fatal(err)
	}

	m, stdout, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	err = m.Run(context.Background(), []string{"probe", "--once", "--capacity", "--capacity-ceiling", "2", "--capacity-interval", "0", "--capacity-settle", "2s",
		"--region", "FRA", "--leaderboard", board, "--orchestrators", reg, "--segments", "1", "--concurrency", "2",
		"--profiles", "P144p30fps16x9", "--spool", filepath.Join(dir, "spool"), "--seed", "19", "--segment-timeout", "20s"})
	if err != nil {
		t.Fatalf("probe: %v\n%s", err, stderr)
	}
	t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	if !strings.Contains(stdout.String(), "STREAMS") || !strings.Contains(stderr.String(), "[capacity 2/2]") ||
		!strings.Contains(stderr.String(), "capacity one-session: 1 streams:") {
		t.Errorf("no capacity table or progress")
	}

	client := web.NewClient(board, nil)
	now := time.Now().Unix() + 60
	for _, tc := range []struct {
		tg   *target
		want func(c *podium.Capacity) bool
		what string
	}{
		// On a loaded machine one stream may fall behind real time; the
		// second is refused for capacity whatever the CPU.
		{one, func(c *podium.Capacity) bool {
			return c.Advertised == 1 && (c.Streams == 1 && c.StoppedBy == podium.CapacityStoppedCapped ||
				c.Streams == 0 && c.StoppedBy == podium.CapacityStoppedBehind)
		}, "1 stream then capped (or behind at 1), advertising 1"},
		{full, func(c *podium.Capacity) bool {
			return c.Streams == 0 && c.Renditions == 0 && c.StoppedBy == podium.CapacityStoppedCapped && len(c.Levels) == 1
		}, "capped at 0 streams"},
	} {
		out, err := client.Capacity(context.Background(), podium.StatsQuery{Orchestrator: tc.tg.addr, Until: now})
		if err != nil {
			t.Fatal(err)
		}
		if out.Latest == nil || len(out.History) != 1 || out.Latest.Region != "FRA" || !tc.want(out.Latest) {
			t.Errorf("%s: latest %+v, %d in history; want %s", tc.tg.name, out.Latest, len(out.History), tc.what)
		}
	}
	out, err := client.Capacity(context.Background(), podium.StatsQuery{Orchestrator: left.Orchestrator, Until: now})
	if err != nil {
		t.Fatal(err)
	}
	if out.Latest == nil || out.Latest.TestID != left.TestID || len(out.History) != 1 {
		t.Errorf("the spooled record of a previous run: latest %+v, %d in history", out.Latest, len(out.History))
	}
	if n, err := spool.Len(); err != nil || n != 0 {
		t.Errorf("%d records still spooled (%v); all were posted", n, err)
	}
}

// TestProbe_CapacityScheduleTooShort refuses an interval whose regional
// windows cannot hold a capacity test, naming the flag.
func TestProbe_CapacityScheduleTooShort(t *testing.T) {
	dir := t.TempDir()
	reg := writeRegistry(t, filepath.Join(dir, "r.csv"), nil)
	board := startServe(t, "--db", filepath.Join(dir, "b.db"))
	spool, err := probe.OpenSpool(filepath.Join(dir, "spool"))
	if err != nil {
		t.Fatal(err)
	}
	left := storetest.CapacityRecord(7, "FRA", time.Now().Unix()-3600)
	if err := spool.PutCapacity(left); err != nil {
		t.Fatal(err)
	}
	m, _, _ := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	err = m.Run(context.Background(), []string{"probe", "--once", "--capacity", "--capacity-interval", "30m",
		"--region", "FRA", "--leaderboard", board, "--orchestrators", reg, "--spool", filepath.Join(dir, "spool")})
	if podium.ErrorField(err) != "--capacity-interval" || !strings.Contains(err.Error(), "lengthen the capacity interval") ||
		!strings.Contains(podium.ErrorHint(err), "or 0 for capacity tests only with --capacity") {
		t.Fatalf("err = %v (hint %q)", err, podium.ErrorHint(err))
	}
}
