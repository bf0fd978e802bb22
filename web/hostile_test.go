package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// startRealServer serves srv with its own http.Server (timeouts, header
// limit) on loopback, not through httptest.
func startRealServer(t *testing.T, open opener, header, read time.Duration) (string, podium.StatsStore) {
	t.Helper()
	cfg := web.Config{Secret: testSecret, Now: func() time.Time { return testNow }}
	store := open(t)
	srv, err := web.NewServer(store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	web.SetTimeouts(srv, header, read)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close(context.Background())
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String(), store
}

// rawRequest writes req as is on a new connection and returns the status
// line's code (0 when the server closed the connection without answering)
// and how long the server took.
func rawRequest(t *testing.T, addr, req string) (int, time.Duration) {
	t.Helper()
	status, _, d := rawExchange(t, addr, req)
	return status, d
}

// rawExchange is rawRequest that also returns the answer's headers.
func rawExchange(t *testing.T, addr, req string) (int, http.Header, time.Duration) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	start := time.Now()
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, nil, time.Since(start)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header, time.Since(start)
}

// checkGoroutines fails when, once the hostile clients are gone, the process
// keeps more goroutines than before them.
func checkGoroutines(t *testing.T, baseline int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		n := runtime.NumGoroutine()
		if n <= baseline+2 { // the transport's idle connections may linger briefly
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before the hostile clients:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
		}
	}
}

// TestServer_SlowClients: a client that never finishes its headers
// (slowloris) or its body is cut off by the server's timeouts, and a
// header block over the limit is refused with 431; none leaves a goroutine.
func TestServer_SlowClients(t *testing.T) {
	addr, _ := startRealServer(t, openSQLite, 300*time.Millisecond, time.Second)
	http.DefaultClient.CloseIdleConnections()
	baseline := runtime.NumGoroutine()

	t.Run("ErrSlowHeaders", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		io.WriteString(c, "GET /api/regions HTTP/1.1\r\nHost: x\r\n")
		for i := 0; ; i++ { // one header line every 100 ms, never the blank line
			if _, err := fmt.Fprintf(c, "X-Slow-%d: 1\r\n", i); err != nil {
				break
			}
			c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			if _, err := c.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
				break // the server closed the connection
			}
			if time.Since(start) > 5*time.Second {
				t.Fatal("the server kept a slowloris connection open for 5 s")
			}
		}
		if d := time.Since(start); d < 250*time.Millisecond {
			t.Fatalf("closed after %s, before the header timeout", d)
		}
	})
	t.Run("ErrSlowBody", func(t *testing.T) {
		body := mustJSON(t, validStats())
		req := fmt.Sprintf("POST /api/post_stats HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Length: %d\r\n\r\n%s",
			web.Sign(testSecret, body), len(body), body[:10]) // the rest never comes
		status, d := rawRequest(t, addr, req)
		if status != 0 && status < 400 || d > 5*time.Second {
			t.Fatalf("status %d after %s; want the connection cut (or a 4xx) at the read timeout", status, d)
		}
	})
	t.Run("ErrHugeHeader", func(t *testing.T) {
		req := "GET /api/regions HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 64<<10) + "\r\n\r\n"
		if status, _ := rawRequest(t, addr, req); status != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("status %d, want 431", status)
		}
	})
	t.Run("ErrHugeBody", func(t *testing.T) {
		body := bytes.Repeat([]byte("x"), web.DefaultMaxBodyBytes+1)
		req := fmt.Sprintf("POST /api/post_stats HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Length: %d\r\n\r\n%s",
			web.Sign(testSecret, body), len(body), body)
		if status, _ := rawRequest(t, addr, req); status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", status)
		}
	})
	t.Run("ErrEndlessChunkedBody", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "POST /api/post_stats HTTP/1.1\r\nHost: x\r\nAuthorization: 00\r\nTransfer-Encoding: chunked\r\n\r\n")
		chunk := fmt.Sprintf("%x\r\n%s\r\n", 4096, strings.Repeat("y", 4096))
		r := bufio.NewReader(c)
		done := make(chan *http.Response, 1)
		go func() {
			resp, _ := http.ReadResponse(r, nil)
			done <- resp
		}()
		for sent := 0; ; sent += 4096 {
			select {
			case resp := <-done:
				if resp == nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
					t.Fatalf("answer %v, want 413", resp)
				}
				resp.Body.Close()
				return
			default:
			}
			if _, err := io.WriteString(c, chunk); err != nil || sent > 16<<20 {
				resp := <-done
				if resp == nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
					t.Fatalf("after %d bytes: answer %v, want 413", sent, resp)
				}
				resp.Body.Close()
				return
			}
		}
	})
	checkGoroutines(t, baseline)
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// sqlShaped are strings that would break a query built by concatenation.
var sqlShaped = []string{
	`' OR '1'='1`, `'; DROP TABLE stats; --`, `"; DELETE FROM stats; --`, `0x' UNION SELECT * FROM stats --`,
	`%' OR 1=1 --`, `\'; SELECT pg_sleep(10); --`, "FRA\x00", `FRA' --`, `1; DROP TABLE stats`,
	`1e400`, `-1e400`, `NaN`, `0x10`, `1 OR 1=1`, `$1`, `?`, `😀`, strings.Repeat("'", 2000),
}

// TestServer_SQLShapedParameters sends SQL-shaped strings in every
// parameter of every query endpoint, and in the posted record's text
// fields: each answer is 200 or 400, never a 5xx; a record taken is stored
// verbatim and the one stored before is still there.
func TestServer_SQLShapedParameters(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		ts := newTestServer(t, open, web.Config{})
		if _, err := ts.client.PostStats(context.Background(), validStats()); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/api/aggregated_stats", "/api/raw_stats", "/api/regions"} {
			for _, param := range []string{"orchestrator", "region", "since", "until"} {
				for _, v := range sqlShaped {
					resp, err := http.Get(ts.URL + path + "?" + url.Values{param: {v}, "orchestrator": {orchA}}.Encode())
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode >= 500 || resp.StatusCode != 200 && resp.StatusCode != 400 {
						t.Errorf("%s?%s=%q: %d %s", path, param, v, resp.StatusCode, b)
					}
				}
			}
		}
		var accepted []string // test IDs the server took
		for _, v := range sqlShaped {
			for _, field := range []string{"region", "orchestrator", "test_id"} {
				rec := validStats()
				rec.TestID = "sql-" + field
				switch field {
				case "region":
					rec.Region = v
				case "orchestrator":
					rec.Orchestrator = v
				case "test_id":
					rec.TestID = v
				}
				status, body := ts.post(t, mustJSON(t, rec), http.Header{"Authorization": {web.Sign(testSecret, mustJSON(t, rec))}})
				switch {
				case status == http.StatusOK && field == "test_id":
					accepted = append(accepted, v)
				case status != http.StatusBadRequest:
					t.Errorf("post with %s=%q: %d %v, want 400", field, v, status, body)
				}
			}
		}
		recs, err := ts.store.RawStats(context.Background(), podium.StatsQuery{Orchestrator: orchA, Since: 0, Until: testNow.Unix() + 1})
		if err != nil {
			t.Fatal(err)
		}
		ids := make(map[string]bool)
		for _, r := range recs {
			ids[r.TestID] = true
		}
		if !ids["t-1"] {
			t.Error("the record stored first is gone")
		}
		// A test_id taken (letters, digits, . _ : -) is stored verbatim.
		for _, v := range accepted {
			if !ids[v] {
				t.Errorf("test_id %q was acknowledged but not stored verbatim", v)
			}
		}
		if len(accepted) == 0 {
			t.Error("no SQL-shaped but valid test_id (e.g. 0x10, NaN) was accepted")
		}
	})
}

// TestServer_PathTricks requests paths with .., encoded slashes and dots,
// NUL bytes and doubled slashes: each gets a 4xx (or the mux's redirect to
// the clean path on this server), never a 5xx, a file, or a hang.
func TestServer_PathTricks(t *testing.T) {
	addr, _ := startRealServer(t, openSQLite, time.Second, 5*time.Second)
	for _, path := range []string{
		"/api/../api/regions", "/api/%2e%2e/metrics", "/api/raw_stats%2f..%2f..%2fetc%2fpasswd",
		"/../../../../etc/passwd", "/api/regions/../../etc/passwd", "/%00", "/api/regions%00",
		"/api/regions%00.json", "//api//regions", "/api/%2fregions", "/healthz/..", "/metrics/../healthz",
		"/api/v1/rounds/..%2f..%2fetc%2fpasswd/snapshot", "/api/v1/rounds/%00/snapshot", "/api/\\..\\regions",
		"/api/post_stats/../regions", "/" + strings.Repeat("a/", 4000),
	} {
		status, h, _ := rawExchange(t, addr, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		switch status {
		case http.StatusMovedPermanently, http.StatusTemporaryRedirect:
			// The mux sends unclean paths to their clean form, which
			// stays on this server and holds no "..".
			loc, err := url.Parse(h.Get("Location"))
			if err != nil || loc.Host != "" || !strings.HasPrefix(loc.Path, "/") || strings.Contains(loc.Path, "..") || strings.Contains(loc.Path, "//") {
				t.Errorf("GET %s: redirected to %q", path, h.Get("Location"))
			}
		case http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed:
		default:
			t.Errorf("GET %s: status %d, want a redirect to the clean path, 400, 404 or 405", path, status)
		}
	}
	// A NUL in the request line itself is not HTTP.
	if status, _ := rawRequest(t, addr, "GET /api/regions\x00 HTTP/1.1\r\nHost: x\r\n\r\n"); status != http.StatusBadRequest {
		t.Errorf("raw NUL in the path: status %d, want 400", status)
	}
}
