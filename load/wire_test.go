package load

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestWire checks the poster's connection: headers and body arrive as sent,
// one connection serves many posts, a server that closes the connection
// gets a new one, and a server that drops a request mid-way is an error
// that the next post recovers from.
func TestWire(t *testing.T) {
	var n, conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.URL.Path != "/api/post_stats" || r.Header.Get("X-Test") != "yes" || string(body) != `{"a":1}` {
			t.Errorf("request %d: %s %s X-Test=%q body %q", i, r.Method, r.URL.Path, r.Header.Get("X-Test"), body)
		}
		switch i {
		case 5:
			w.Header().Set("Connection", "close")
		case 8: // drop the connection without an answer
			hj, _ := w.(http.Hijacker)
			c, _, _ := hj.Hijack()
			c.Close()
			return
		}
		io.WriteString(w, "ok "+r.Header.Get("Content-Length"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	w, err := newWire(srv.URL, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	ctx := context.Background()
	for i := 1; i <= 12; i++ {
		status, answer, err := w.post(ctx, "/api/post_stats", []header{{"X-Test", "yes"}}, []byte(`{"a":1}`))
		if i == 8 {
			if err == nil {
				t.Errorf("post 8: the server dropped it, yet no error (status %d %q)", status, answer)
			}
			continue
		}
		if err != nil || status != 200 || string(answer) != "ok 7" {
			t.Errorf("post %d: %d %q %v", i, status, answer, err)
		}
	}
	if c := conns.Load(); c != 3 {
		t.Errorf("%d connections, want 3 (the first, one after the close, one after the drop)", c)
	}
}

func TestNewWire_ErrScheme(t *testing.T) {
	if _, err := newWire("https://127.0.0.1:1", time.Second); err == nil {
		t.Error("newWire took https")
	}
}
