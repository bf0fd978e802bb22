package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/web"
)

// The acceptance test of the prober: a real leaderboard (`podium serve` on
// SQLite, in a child process so it can be killed), real reference
// orchestrators in several fault modes, real test segments and
// verification, and `podium probe --once`.

// target is one reference orchestrator and what a test of it must find.
type target struct {
	name  string
	fault string // node.ParseFault syntax; "down" is a closed port
	addr  string
	uri   string

	// claims, when set, is the registry address listed for the target in
	// place of its node's own; relayTo, a target whose node a TCP relay
	// in front of this one forwards to.
	claims, relayTo string

	success  float64
	code     string // the one error code expected, "" for none
	failures bool   // verification failures expected
}

func TestProbe_Acceptance(t *testing.T) {
	targets := []*target{
		{name: "honest", fault: "none", success: 1},
		{name: "slow", fault: "slow=4s", success: 1},
		{name: "cheater", fault: "black", success: 0, code: podium.ErrorCodeVerificationFailed, failures: true},
		// Its first segment has no previous one to replay, so it is honest.
		{name: "replayer", fault: "stale", success: 0.5, code: podium.ErrorCodeVerificationFailed, failures: true},
		{name: "capped", fault: "capped", success: 0, code: "OrchestratorCapped"},
		{name: "broken", fault: "error", success: 0, code: "Transcode"},
		{name: "gone", fault: "down", success: 0, code: "Unreachable"},
		// Claims an address whose key it does not hold.
		{name: "impostor", fault: "impersonate=0x00000000000000000000000000000000000000f1", claims: "0x00000000000000000000000000000000000000f1", success: 0, code: "BadSignature"},
		// A made-up entry relaying to someone else's honest node.
		{name: "squatter", fault: "none", claims: "0x00000000000000000000000000000000000000f2", relayTo: "slow", success: 0, code: "IdentityMismatch"},
	}
	for i, tg := range targets {
		if tg.relayTo == "" {
			startTarget(t, tg, int64(100+i))
		}
	}
	for _, tg := range targets {
		if tg.relayTo != "" {
			tg.uri = startRelay(t, byName(targets, tg.relayTo).uri)
		}
		if tg.claims != "" {
			tg.addr = tg.claims
		}
	}
	// "honest" is reached through a reference broadcaster that the prober
	// pins to it through its discovery webhook; the others directly.
	webhook := closedAddr(t)
	bcast := startBroadcaster(t, "http://"+webhook+"/")
	dir := t.TempDir()
	orchs := writeRegistry(t, filepath.Join(dir, "orchestrators.csv"), targets)
	empty := writeRegistry(t, filepath.Join(dir, "none.csv"), nil)
	spool := filepath.Join(dir, "spool")
	db := filepath.Join(dir, "board.db")
	port := freePort(t)
	board := "http://" + port

	// The leaderboard is up when the cycle starts and killed (SIGKILL)
	// while the orchestrators are being tested: every record must wait in
	// the spool.
	lb := startBoard(t, db, port)
	probeArgs := func(registry string, more ...string) []string {
		return append([]string{"probe", "--once", "--region", "FRA", "--leaderboard", board,
			"--orchestrators", registry, "--segments", "2", "--concurrency", "9",
			"--spool", spool, "--seed", "7",
			"--broadcaster", bcast, "--webhook-listen", webhook, "--transport-for", targets[0].addr + "=broadcaster",
			// The real timeout is max(8 s, 4 × 2 s); a loaded test machine
			// gets more, so that only the faults fail.
			"--segment-timeout", "20s"}, more...)
	}
	m, stdout, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	m.Logger = newInfoLogger(stderr)
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background(), probeArgs(orchs)) }()
	waitFor(t, stderr, "msg=\"cycle start\"", 30*time.Second)
	lb.kill(t)
	if err := <-done; err != nil {
		t.Fatalf("probe: %v\n%s", err, stderr)
	}
	table := stdout.String()
	t.Logf("probe --once:\n%s", table)
	if !strings.Contains(table, fmt.Sprintf("waiting in spool %d", len(targets))) {
		t.Fatalf("with the leaderboard down every record waits in the spool; got\n%s\n%s", table, stderr)
	}
	if via := "orchestrator=" + targets[0].addr + " transport=broadcaster"; !strings.Contains(stderr.String(), via) {
		t.Errorf("honest was not tested through the broadcaster (no %q in the log)", via)
	}
	for _, tg := range targets {
		if !strings.Contains(table, tg.name) {
			t.Errorf("the table has no line for %s", tg.name)
		}
	}

	// A crash between a post and its removal from the spool would post a
	// record twice: keep a copy of one spooled record to replay it.
	spooled, _ := filepath.Glob(filepath.Join(spool, "*.json"))
	if len(spooled) != len(targets) {
		t.Fatalf("spool holds %d records, want %d", len(spooled), len(targets))
	}
	replay, err := os.ReadFile(spooled[0])
	if err != nil {
		t.Fatal(err)
	}

	// Restarted on the same database, the leaderboard gets the spool from
	// the next run of the prober, which drains it before testing.
	lb = startBoard(t, db, port)
	defer lb.kill(t)
	m2, out2, err2 := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	if err := m2.Run(context.Background(), probeArgs(empty)); err != nil {
		t.Fatalf("probe (drain): %v\n%s", err, err2)
	}
	if !strings.Contains(out2.String(), "waiting in spool 0") {
		t.Fatalf("the spool was not drained:\n%s", out2)
	}
	if err := os.WriteFile(spooled[0], replay, 0o644); err != nil {
		t.Fatal(err)
	}
	m3, out3, err3 := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	if err := m3.Run(context.Background(), probeArgs(empty)); err != nil || !strings.Contains(out3.String(), "waiting in spool 0") {
		t.Fatalf("probe (replay): %v\n%s\n%s", err, out3, err3)
	}

	// Exactly one record per orchestrator, each as its mode requires.
	ctx := context.Background()
	c := web.NewClient(board, []byte(testSecret))
	byAddr := stored(t, c, targets)
	agg, err := c.AggregatedStats(ctx, podium.StatsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range targets {
		s := byAddr[tg.addr]
		if s.SuccessRate != tg.success {
			t.Errorf("%s: success_rate %v, want %v (%+v)", tg.name, s.SuccessRate, tg.success, s.Errors)
		}
		if codes := errorCodes(s); (tg.code == "" && len(codes) != 0) || (tg.code != "" && (len(codes) != 1 || codes[0] != tg.code)) {
			t.Errorf("%s: error codes %v, want [%s]", tg.name, codes, tg.code)
		}
		if (s.VerificationFailures > 0) != tg.failures {
			t.Errorf("%s: %d verification failures, want any: %v", tg.name, s.VerificationFailures, tg.failures)
		}
		if s.SegmentsSent != 2 || s.SegDuration != 2 {
			t.Errorf("%s: segments_sent %d seg_duration %v, want 2 and 2", tg.name, s.SegmentsSent, s.SegDuration)
		}
		score := agg[tg.addr]["FRA"]
		if score.SuccessRate != tg.success || (tg.success == 0) != (score.Total == 0) {
			t.Errorf("%s: aggregated %+v, want success %v", tg.name, score, tg.success)
		}
	}
	// A rejected rendition's error names the profile and the reason.
	for name, reason := range map[string]string{"cheater": "Black", "replayer": ""} {
		s := byAddr[byName(targets, name).addr]
		msg := s.Errors[0].Message
		t.Logf("%s: %s", name, msg)
		if !strings.HasPrefix(msg, "P360p30fps16x9: ") && !strings.HasPrefix(msg, "P240p30fps16x9: ") || !strings.Contains(msg, reason) {
			t.Errorf("%s: message %q, want a profile and the reason %q", name, msg, reason)
		}
	}
	honest, slow := byAddr[targets[0].addr], byAddr[targets[1].addr]
	if honest.VerifiedRenditions != 4 || honest.VerificationFailures != 0 {
		t.Errorf("honest: verified %d failures %d, want 4 and 0", honest.VerifiedRenditions, honest.VerificationFailures)
	}
	// The slow one's 4 s delay is in every round trip, so its latency
	// score is at most 1 - exp(-2/4), under real time's 0.63 whatever the
	// machine's load. (Comparing it with the honest one's would measure
	// the load as much as the delay.)
	if slow.RoundTripTime < 4 {
		t.Errorf("slow rtt %v: it must include the 4 s delay", slow.RoundTripTime)
	}
	if sc := agg[slow.Orchestrator]["FRA"]; sc.RoundTripScore > 1-math.Exp(-0.5) || sc.RoundTripScore <= 0 {
		t.Errorf("slow round_trip_score %v, want in (0, %.3f]", sc.RoundTripScore, 1-math.Exp(-0.5))
	}
	if honest.RoundTripTime <= 0 || agg[honest.Orchestrator]["FRA"].RoundTripScore <= 0 {
		t.Errorf("honest rtt %v score %+v, want both positive", honest.RoundTripTime, agg[honest.Orchestrator]["FRA"])
	}

	t.Run("ErrTesterAtFault", func(t *testing.T) {
		// The canary is down: the prober is at fault and withholds the
		// test that got no answer; the orchestrator that answered (with a
		// refusal) is posted all the same.
		m, stdout, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
		few := writeRegistry(t, filepath.Join(t.TempDir(), "few.csv"), []*target{byName(targets, "capped"), byName(targets, "gone")})
		if err := m.Run(ctx, probeArgs(few, "--canary", "http://"+closedAddr(t)+"/healthz", "--verbose")); err != nil {
			t.Fatalf("probe: %v\n%s", err, stderr)
		}
		// --verbose shows each failed test's own log.
		if !strings.Contains(stdout.String(), "== capped (") || !strings.Contains(stdout.String(), "OrchestratorCapped") {
			t.Errorf("no test log in:\n%s", stdout)
		}
		if !strings.Contains(stdout.String(), "tester at fault") || !strings.Contains(stdout.String(), "recorded 1, withheld 1") {
			t.Fatalf("table:\n%s", stdout)
		}
		var others []*target
		for _, tg := range targets {
			if tg.name != "capped" {
				others = append(others, tg)
			}
		}
		stored(t, c, others) // still one record each
		raw, err := c.RawStats(ctx, podium.StatsQuery{Orchestrator: byName(targets, "capped").addr, Since: 1, Until: time.Now().Unix() + 60})
		if err != nil || len(raw["FRA"]) != 2 {
			t.Fatalf("capped: %v records (%v), want its second test posted", len(raw["FRA"]), err)
		}
	})
}

// stored returns the one stored record of each target, failing the test
// when a target has none or more than one.
func stored(t *testing.T, c *web.Client, targets []*target) map[string]podium.Stats {
	t.Helper()
	out := map[string]podium.Stats{}
	for _, tg := range targets {
		raw, err := c.RawStats(context.Background(), podium.StatsQuery{Orchestrator: tg.addr, Since: 1, Until: time.Now().Unix() + 60})
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) != 1 || len(raw["FRA"]) != 1 {
			t.Fatalf("%s: stored %v; want exactly one FRA record, none lost, none twice", tg.name, raw)
		}
		out[tg.addr] = raw["FRA"][0]
	}
	return out
}

// startBroadcaster serves a reference broadcaster that discovers its
// orchestrator from webhook, and returns its URL.
func startBroadcaster(t *testing.T, webhook string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &node.Broadcaster{Client: lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(99))), Webhook: webhook}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("broadcaster: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// startTarget serves a reference orchestrator in tg's fault mode, or for
// "down" finds an address nothing listens on.
func startTarget(t *testing.T, tg *target, seed int64) {
	t.Helper()
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(seed))
	tg.addr = strings.ToLower(signer.Address().Hex())
	if tg.fault == "down" {
		tg.uri = "https://" + closedAddr(t)
		return
	}
	fault, err := node.ParseFault(tg.fault)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tg.uri = "https://" + ln.Addr().String()
	o := &node.Orchestrator{Signer: signer, Fault: fault, Seed: seed, ServiceURI: tg.uri, FFmpeg: &node.FFmpeg{Threads: 1}}
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

// startRelay forwards every TCP connection to target's host unchanged and
// returns its own https URI.
func startRelay(t *testing.T, target string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	host := strings.TrimPrefix(target, "https://")
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer in.Close()
				out, err := net.Dial("tcp", host)
				if err != nil {
					return
				}
				defer out.Close()
				go func() { _, _ = io.Copy(out, in) }()
				_, _ = io.Copy(in, out)
			}()
		}
	}()
	return "https://" + ln.Addr().String()
}

func writeRegistry(t *testing.T, path string, targets []*target) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("address,service_uri,name,payout_address\n")
	for _, tg := range targets {
		fmt.Fprintf(&b, "%s,%s,%s,\n", tg.addr, tg.uri, tg.name)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// board is a `podium serve` child process.
type board struct{ cmd *exec.Cmd }

// startBoard runs `podium serve` on addr over db in a child process (the
// test binary, through TestServeChild) and waits until it listens.
func startBoard(t *testing.T, db, addr string, extra ...string) *board {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestServeChild$", "--", "serve", "--listen", addr, "--db", db}, extra...)...)
	cmd.Env = append(os.Environ(), "PODIUM_TEST_CHILD=1", "PODIUM_SECRET="+testSecret)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	up := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if listeningRE.MatchString(sc.Text()) {
				up <- true
			}
		}
	}()
	select {
	case <-up:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("leaderboard did not start")
	}
	return &board{cmd: cmd}
}

func (b *board) kill(t *testing.T) {
	t.Helper()
	if b.cmd.ProcessState != nil {
		return
	}
	if err := b.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	b.cmd.Wait()
}

// freePort returns a loopback address free at the time of the call.
func freePort(t *testing.T) string {
	t.Helper()
	return closedAddr(t)
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// waitFor waits until buf contains s.
func waitFor(t *testing.T, buf *syncBuffer, s string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !strings.Contains(buf.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %s:\n%s", s, within, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func byName(targets []*target, name string) *target {
	for _, tg := range targets {
		if tg.name == name {
			return tg
		}
	}
	panic("no target " + name)
}

func newInfoLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func errorCodes(s podium.Stats) []string {
	var codes []string
	for _, e := range s.Errors {
		codes = append(codes, e.ErrorCode)
	}
	sort.Strings(codes)
	return codes
}
