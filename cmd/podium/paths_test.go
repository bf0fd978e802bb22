package main

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// TestServe_PathTricks sends path tricks to everything `podium serve
// --program` routes (API, program API, web UI, static files): each gets a
// 4xx or a redirect to the clean path on the same server, never a 5xx and
// never a file from outside the static files.
func TestServe_PathTricks(t *testing.T) {
	srv := startServeChild(t, []string{"PODIUM_SECRET=" + testSecret},
		"--db", filepath.Join(t.TempDir(), "paths.db"), "--program", round1File)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{
		"/static/../../../go.mod", "/static/%2e%2e/%2e%2e/go.mod", "/static/..%2f..%2fgo.mod", "/static/%00",
		"/static/style.css%00.js", "/static//etc/passwd", "/orchestrators/%00", "/orchestrators/..%2f..%2fmetrics",
		"/orchestrators/' OR 1=1 --", "/rounds/1/..%2f..%2f..%2fgo.mod", "/rounds/%2e%2e/1", "/rounds/1%00/x",
		"/rounds/-1", "/rounds/99999999999999999999", "/rounds/1/" + strings.Repeat("x", 4000),
		"/api/v1/rounds/..%2f1/snapshot", "/api/v1/rounds/1%27%20OR%201=1/snapshot", "/api/v1/rounds/1/projection%00",
	} {
		u := srv.URL + path
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			req = &http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: "http", Host: strings.TrimPrefix(srv.URL, "http://"), Opaque: path}, Header: http.Header{}}
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		b := readAll(t, resp)
		switch resp.StatusCode {
		case http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusFound:
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil || loc.Host != "" || strings.Contains(loc.Path, "..") {
				t.Errorf("GET %s: redirected to %q", path, resp.Header.Get("Location"))
			}
		case http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed:
		default:
			t.Errorf("GET %s: %d, want 4xx or a redirect to the clean path", path, resp.StatusCode)
		}
		if strings.Contains(string(b), "module github.com/podiumhq/podium") || strings.Contains(string(b), "root:") {
			t.Errorf("GET %s served a file from outside the static files", path)
		}
	}
}
