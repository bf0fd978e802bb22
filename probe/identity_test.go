package probe_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/probe"
)

// The tests below run the direct transport against real reference nodes
// (ffmpeg transcodes, real signatures) to check that every test is bound to
// the registry address it scores.

var (
	poolOnce sync.Once
	pool     *media.Pool
)

func mediaSource(t *testing.T) probe.MediaSource {
	t.Helper()
	poolOnce.Do(func() {
		pool = media.NewPool(media.PoolConfig{Size: 2, Seed: 7, Logger: slog.New(slog.DiscardHandler)})
	})
	return probe.MediaSource{Pool: pool}
}

func identityTester(t *testing.T) *probe.Tester {
	t.Helper()
	return &probe.Tester{
		Region: "FRA", Segments: 1, SegDuration: 2 * time.Second, Profiles: []string{"P240p30fps16x9"},
		Source: mediaSource(t), Verifier: probe.MediaVerifier{Verifier: &media.Verifier{}},
		Now: time.Now, Sleep: probe.Sleep, Timeout: 30 * time.Second,
	}
}

func direct() *probe.Direct {
	return &probe.Direct{Client: lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(900)))}
}

// startNode serves o on a fresh port and returns its service URI.
func startNode(t testing.TB, o *node.Orchestrator) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o.FFmpeg = &node.FFmpeg{Threads: 1}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "https://" + ln.Addr().String()
}

// startRelay forwards every TCP connection to target unchanged, as a relay
// in front of someone else's node would, and returns its own URI.
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

func hexOf(a common.Address) string { return strings.ToLower(a.Hex()) }

func codes(s podium.Stats) []string {
	var out []string
	for _, e := range s.Errors {
		out = append(out, e.ErrorCode)
	}
	return out
}

func TestDirect_Identity(t *testing.T) {
	honestKey := lpnet.NewSigner(lpnet.KeyFromSeed(11))
	honest := hexOf(honestKey.Address())
	madeUp := "0x00000000000000000000000000000000000000f1"
	registered := "0x00000000000000000000000000000000000000e2" // a registered address whose node signs with another key
	honestURI := startNode(t, &node.Orchestrator{Signer: honestKey})
	delegatedURI := startNode(t, &node.Orchestrator{Signer: lpnet.NewSigner(lpnet.KeyFromSeed(12)), Recipient: common.HexToAddress(registered)})
	impostorURI := startNode(t, &node.Orchestrator{Signer: lpnet.NewSigner(lpnet.KeyFromSeed(13)),
		Fault: node.Fault{Kind: node.FaultImpersonate, Address: honestKey.Address()}})

	for _, tt := range []struct {
		name      string
		o         podium.Orchestrator
		code      string // "" for a clean, scored test
		delegated bool
	}{
		{"OK own key", podium.Orchestrator{Address: honest, ServiceURI: honestURI}, "", false},
		{"OK delegated key (-ethOrchAddr)", podium.Orchestrator{Address: registered, ServiceURI: delegatedURI}, "", true},
		{"OK relay run for the owner", podium.Orchestrator{Address: honest, ServiceURI: startRelay(t, honestURI)}, "", false},
		{"ErrIdentityMismatch made-up address on an honest node", podium.Orchestrator{Address: madeUp, ServiceURI: honestURI}, probe.CodeIdentityMismatch, false},
		{"ErrIdentityMismatch relay to an honest node", podium.Orchestrator{Address: madeUp, ServiceURI: startRelay(t, honestURI)}, probe.CodeIdentityMismatch, false},
		{"ErrIdentityMismatch delegated node under another address", podium.Orchestrator{Address: madeUp, ServiceURI: delegatedURI}, probe.CodeIdentityMismatch, false},
		{"ErrBadSignature impersonator claims the honest address", podium.Orchestrator{Address: honest, ServiceURI: impostorURI}, probe.CodeBadSignature, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := identityTester(t).Test(context.Background(), direct(), tt.o)
			if err != nil {
				t.Fatal(err)
			}
			s := r.Stats
			if tt.code == "" {
				if s.SuccessRate != 1 || len(s.Errors) != 0 {
					t.Fatalf("success %.2f, errors %v; want a clean test\n%s", s.SuccessRate, s.Errors, r.Log)
				}
				if r.Identity.Registered != tt.o.Address || r.Identity.Delegated != tt.delegated {
					t.Errorf("identity %+v, want registered %s delegated %v", r.Identity, tt.o.Address, tt.delegated)
				}
				return
			}
			if s.SuccessRate != 0 || s.VerifiedRenditions != 0 || s.RoundTripTime != 0 {
				t.Errorf("success %.2f, verified %d, rtt %.2f: an unproven identity must earn nothing", s.SuccessRate, s.VerifiedRenditions, s.RoundTripTime)
			}
			if got := codes(s); len(got) != 1 || got[0] != tt.code {
				t.Fatalf("error codes %v, want only %s\n%s", got, tt.code, r.Log)
			}
			msg := s.Errors[0].Message
			t.Log(msg)
			if !strings.Contains(msg, tt.o.Address) {
				t.Errorf("message %q does not say which address was expected (%s)", msg, tt.o.Address)
			}
		})
	}
}

// TestProber_IdentityConflict: a delegated key rests on the ticket
// recipient alone, which a relay that rewrites OrchestratorInfo controls.
// Nodes that share a key stand in for such a relay: what the prober sees is
// the same.
func TestProber_IdentityConflict(t *testing.T) {
	honestKey := lpnet.NewSigner(lpnet.KeyFromSeed(21))
	honest := hexOf(honestKey.Address())
	shared := lpnet.NewSigner(lpnet.KeyFromSeed(22))
	a, b, thief := "0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000b2", "0x00000000000000000000000000000000000000c3"
	reg := staticRegistry{
		{Address: honest, ServiceURI: startNode(t, &node.Orchestrator{Signer: honestKey})},
		// The honest node's own key, naming the thief as recipient.
		{Address: thief, ServiceURI: startNode(t, &node.Orchestrator{Signer: honestKey, Recipient: common.HexToAddress(thief)})},
		// One unregistered key answering for two addresses.
		{Address: a, ServiceURI: startNode(t, &node.Orchestrator{Signer: shared, Recipient: common.HexToAddress(a)})},
		{Address: b, ServiceURI: startNode(t, &node.Orchestrator{Signer: shared, Recipient: common.HexToAddress(b)})},
	}
	board := &board{}
	sender, _ := newSender(t, board)
	p := &probe.Prober{
		Registry: reg, Tester: identityTester(t), Transports: probe.Transports{"direct": direct()}, Transport: "direct",
		Concurrency: 2, Sender: sender, Metrics: probe.NewMetrics(prometheus.NewRegistry(), "FRA"),
		Logger: slog.New(slog.DiscardHandler), Sleep: probe.Sleep,
	}
	c, err := p.RunCycle(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"", probe.CodeIdentityMismatch, probe.CodeIdentityMismatch, probe.CodeIdentityMismatch} {
		s := c.Results[i].Stats
		if got := strings.Join(codes(s), ","); got != want {
			t.Errorf("%s: codes %q, want %q\n%s", s.Orchestrator, got, want, c.Results[i].Log)
		}
		if want != "" && s.SuccessRate != 0 {
			t.Errorf("%s: success %.2f; an identity conflict earns nothing", s.Orchestrator, s.SuccessRate)
		}
	}
	if c.Recorded != 4 || len(board.stored) != 4 {
		t.Errorf("recorded %d, stored %d; every result is posted, conflicts included", c.Recorded, len(board.stored))
	}
	for _, s := range board.stored {
		if s.Orchestrator != honest && s.SuccessRate != 0 {
			t.Errorf("posted %s with success %.2f", s.Orchestrator, s.SuccessRate)
		}
	}
}

// TestBroadcaster_Identity: through a broadcaster the prober sees no
// OrchestratorInfo of its own, so Identify asks for one before the test.
func TestBroadcaster_Identity(t *testing.T) {
	honestKey := lpnet.NewSigner(lpnet.KeyFromSeed(31))
	honestURI := startNode(t, &node.Orchestrator{Signer: honestKey})
	hook := probe.NewWebhook()
	hookSrv := httptest.NewServer(hook)
	defer hookSrv.Close()
	b := &node.Broadcaster{Client: lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(32))), Webhook: hookSrv.URL, Logger: slog.New(slog.DiscardHandler)}
	bSrv := httptest.NewServer(b)
	defer bSrv.Close()
	tr := &probe.Broadcaster{URL: bSrv.URL, Webhook: hook, Client: &http.Client{}, Identify: direct().Client}

	for _, tt := range []struct {
		name string
		addr string
		code string
	}{
		{"OK", hexOf(honestKey.Address()), ""},
		{"ErrIdentityMismatch", "0x00000000000000000000000000000000000000f3", probe.CodeIdentityMismatch},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := identityTester(t).Test(context.Background(), tr, podium.Orchestrator{Address: tt.addr, ServiceURI: startRelay(t, honestURI)})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(codes(r.Stats), ","); got != tt.code {
				t.Fatalf("codes %q, want %q\n%s", got, tt.code, r.Log)
			}
			if tt.code == "" && r.Stats.SuccessRate != 1 {
				t.Fatalf("success %.2f\n%s", r.Stats.SuccessRate, r.Log)
			}
		})
	}
}
