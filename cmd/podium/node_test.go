package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium/lpnet"
)

// startNode runs `podium node ...` in-process and returns the address it
// listens on.
func startNode(t *testing.T, args ...string) string {
	t.Helper()
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	m.Logger = slog.New(slog.DiscardHandler)
	return runReady(t, m, args, nil)
}

func TestNodeCmd_Orchestrator(t *testing.T) {
	addr := startNode(t, "node", "orchestrator", "--listen", "127.0.0.1:0", "--seed", "5", "--price", "1200/3", "--capacity", "2")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(9))).GetOrchestrator(ctx, "https://"+addr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(info.Address, lpnet.NewSigner(lpnet.KeyFromSeed(5)).Address().Bytes()) {
		t.Fatal("address is not the one derived from --seed 5")
	}
	if p := info.PriceInfo; p.PricePerUnit != 1200 || p.PixelsPerUnit != 3 {
		t.Fatalf("price = %v, want 1200/3", p)
	}
	if info.Transcoder != "https://"+addr {
		t.Fatalf("transcoder = %q", info.Transcoder)
	}
}

func TestNodeCmd_Errors(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrFault", []string{"node", "orchestrator", "--listen", "127.0.0.1:0", "--fault", "purple"}, `--fault: unknown fault "purple"`},
		{"ErrPrice", []string{"node", "orchestrator", "--listen", "127.0.0.1:0", "--price", "cheap"}, "--price"},
		{"ErrCapacity", []string{"node", "orchestrator", "--listen", "127.0.0.1:0", "--capacity", "-1"}, "--capacity"},
		{"ErrTranscoders", []string{"node", "orchestrator", "--listen", "127.0.0.1:0", "--transcoders", "-1"}, "--transcoders"},
		{"ErrKey", []string{"node", "orchestrator", "--listen", "127.0.0.1:0", "--key", "/nonexistent"}, "--key"},
		{"ErrWebhook", []string{"node", "broadcaster", "--listen", "127.0.0.1:0"}, "--orch-webhook: is required"},
		{"ErrProfiles", []string{"node", "broadcaster", "--listen", "127.0.0.1:0", "--orch-webhook", "http://x", "--profiles", "P1p"}, `unknown profile "P1p"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMain()
			m.Stdout, m.Stderr = io.Discard, io.Discard
			m.Logger = slog.New(slog.DiscardHandler)
			err := m.Run(context.Background(), tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
