package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServe_UI checks that `podium serve` serves the web UI next to the API
// and that --program and --registry reach its pages.
func TestServe_UI(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "registry.csv")
	if err := os.WriteFile(reg, []byte("address,service_uri,name,payout_address\n0x00000000000000000000000000000000000000a1,https://a1.example:8935,alpha.eth,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	url := startServe(t, "--db", filepath.Join(dir, "x.db"), "--program", "../../program/testdata/round1.yaml", "--registry", reg, "--payouts", t.TempDir())
	for _, tt := range []struct {
		path, contentType, contains string
		status                      int
	}{
		{"/", "text/html", "alpha.eth", 200},
		{"/orchestrators/0x00000000000000000000000000000000000000a1", "text/html", "No test in this window.", 200},
		{"/rounds", "text/html", "Round 1", 200},
		{"/rounds/1", "text/html", "regional-top5: 200 LPT each to the top 5 per region", 200},
		{"/static/style.css", "text/css", "--accent", 200},
		{"/api/regions", "application/json", `"MDW"`, 200},
		{"/api/v1/rounds", "application/json", `"id"`, 200},
		{"/api/nope", "application/json", "no such endpoint", 404},
		{"/nowhere", "text/html", "no page at /nowhere", 404},
	} {
		resp, err := http.Get(url + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.contentType) || !strings.Contains(string(b), tt.contains) {
			t.Errorf("GET %s: %d %s, want %s containing %q:\n%.300s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.contentType, tt.contains, b)
		}
	}
}

func TestServe_UIErrInvalid(t *testing.T) {
	m, _, _ := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	err := m.Run(context.Background(), []string{"serve", "--listen", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "x.db"),
		"--program", "../../program/testdata/round1.yaml", "--payouts", filepath.Join(t.TempDir(), "missing")})
	if err == nil || !strings.Contains(err.Error(), "--payouts") {
		t.Errorf("serve with a missing payouts directory: %v", err)
	}
}
