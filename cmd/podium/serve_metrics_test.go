package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestServe_Metrics: --metrics-listen moves /metrics off the public
// listener, --metrics-token-file puts it behind a bearer token.
func TestServe_Metrics(t *testing.T) {
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte("t0ken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, _, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	var mu sync.Mutex
	addrs := map[string]string{}
	both := make(chan struct{})
	m.Ready = func(name, addr string) {
		mu.Lock()
		defer mu.Unlock()
		addrs[name] = addr
		if len(addrs) == 2 {
			close(both)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--db", filepath.Join(dir, "db"),
			"--metrics-listen", "127.0.0.1:0", "--metrics-token-file", token})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	select {
	case <-both:
	case err := <-done:
		done <- err
		t.Fatalf("serve ended: %v\n%s", err, stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve not ready:\n%s", stderr)
	}
	get := func(url, auth string) int {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get("http://"+addrs["serve"]+"/metrics", "Bearer t0ken"); got != http.StatusNotFound {
		t.Errorf("/metrics on --listen: %d, want 404", got)
	}
	if got := get("http://"+addrs["serve"]+"/healthz", ""); got != http.StatusOK {
		t.Errorf("/healthz on --listen: %d", got)
	}
	metrics := "http://" + addrs["serve-metrics"] + "/metrics"
	if got := get(metrics, ""); got != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: %d, want 401", got)
	}
	if got := get(metrics, "Bearer t0ken"); got != http.StatusOK {
		t.Errorf("/metrics with the token: %d", got)
	}
}
