package main

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/node"
)

// startAITarget serves a reference orchestrator with an AI worker in AI
// fault mode fault (node.ParseAIFault) until the test ends.
func startAITarget(t *testing.T, tg *target, fault string, seed int64) {
	t.Helper()
	f, err := node.ParseAIFault(fault)
	if err != nil {
		t.Fatal(err)
	}
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(seed))
	tg.addr = strings.ToLower(signer.Address().Hex())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tg.uri = "https://" + ln.Addr().String()
	o := &node.Orchestrator{Signer: signer, Seed: seed, ServiceURI: tg.uri, FFmpeg: &node.FFmpeg{Threads: 1},
		AI: &node.AIWorker{Fault: f, Seed: seed, FFmpeg: &node.FFmpeg{Threads: 1}}}
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

// TestProbe_AI runs `podium probe --once --ai` against an honest AI node
// and one whose pictures are blank: every pipeline of each is tested and
// posted next to the transcoding tests, and the blank pictures fail.
func TestProbe_AI(t *testing.T) {
	honest, blank := &target{name: "artist"}, &target{name: "dauber"}
	startAITarget(t, honest, "none", 410)
	startAITarget(t, blank, "blank", 411)
	dir := t.TempDir()
	reg := writeRegistry(t, filepath.Join(dir, "r.csv"), []*target{honest, blank})
	board := startServe(t, "--db", filepath.Join(dir, "b.db"))
	m, stdout, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	err := m.Run(context.Background(), []string{"probe", "--once", "--region", "FRA", "--leaderboard", board,
		"--orchestrators", reg, "--segments", "1", "--spool", filepath.Join(dir, "spool"), "--seed", "5",
		"--segment-timeout", "20s", "--ai", "--ai-spread", "200ms", "--ai-timeout", "60s"})
	if err != nil {
		t.Fatalf("probe: %v\n%s", err, stderr)
	}
	out := stdout.String()
	t.Logf("probe --once --ai:\n%s", out)
	// upscale, text-to-image, image-to-image and image-to-video of each;
	// the blank node's pictures are flat (its video is not checked for it).
	for _, want := range []string{"AI tests: 8, failed 3", "recorded 10, withheld 0, waiting in spool 0", "AIBlank", lpnet.PipelineImageToVideo} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
}

func TestProbe_AIFlags(t *testing.T) {
	dir := t.TempDir()
	reg := writeRegistry(t, filepath.Join(dir, "r.csv"), nil)
	base := []string{"probe", "--once", "--region", "FRA", "--leaderboard", "http://127.0.0.1:1", "--orchestrators", reg, "--spool", filepath.Join(dir, "spool")}
	for _, tc := range []struct {
		name  string
		args  []string
		field string
	}{
		{"ErrPipelinesWithoutAI", []string{"--ai-pipelines", "upscale"}, "--ai-pipelines"},
		{"ErrGatewayWithoutAI", []string{"--ai-gateway", "http://127.0.0.1:8937"}, "--ai-gateway"},
		{"ErrUnknownPipeline", []string{"--ai", "--ai-pipelines", "upscale,text-to-poem"}, "--ai-pipelines"},
		{"ErrTimeout", []string{"--ai", "--ai-timeout", "0s"}, "--ai-timeout"},
		{"ErrCycleShorterThanRequest", []string{"--ai", "--ai-timeout", "2m", "--ai-cycle-timeout", "1m"}, "--ai-cycle-timeout"},
		{"ErrSpread", []string{"--ai", "--ai-spread", "20m"}, "--ai-spread"},
		{"ErrConcurrency", []string{"--ai", "--ai-concurrency", "0"}, "--ai-concurrency"},
		{"ErrGatewayURL", []string{"--ai", "--ai-gateway", "127.0.0.1:8937"}, "--ai-gateway"},
		{"ErrGatewayByURL", []string{"--ai", "--ai-gateway", "http://127.0.0.1:8937", "--ai-by-url"}, "--ai-by-url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, _ := testMain(t, map[string]string{"PODIUM_SECRET": "s"})
			err := m.Run(context.Background(), append(append([]string{}, base...), tc.args...))
			if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorField(err) != tc.field {
				t.Fatalf("err = %v (field %q), want an invalid %s", err, podium.ErrorField(err), tc.field)
			}
		})
	}
}
