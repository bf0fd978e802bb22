package probe_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/podiumhq/podium/probe"
)

func discover(t *testing.T, url string) []map[string]string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	return list
}

func TestWebhook_Pin(t *testing.T) {
	hook := probe.NewWebhook()
	srv := httptest.NewServer(hook)
	defer srv.Close()
	ctx := context.Background()

	if got := discover(t, srv.URL); len(got) != 0 {
		t.Fatalf("unpinned list = %v, want []", got)
	}
	unpin, err := hook.Pin(ctx, "https://127.0.0.1:8935")
	if err != nil {
		t.Fatal(err)
	}
	if got := discover(t, srv.URL); len(got) != 1 || got[0]["address"] != "https://127.0.0.1:8935" {
		t.Fatalf("pinned list = %v", got)
	}

	t.Run("ErrSecondPinWaits", func(t *testing.T) {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		defer cancel()
		if _, err := hook.Pin(wctx, "https://other:1"); err == nil {
			t.Fatal("a second pin must wait for the first")
		}
	})
	unpin()
	unpin() // idempotent
	t.Run("OKAfterUnpin", func(t *testing.T) {
		u2, err := hook.Pin(ctx, "https://other:1")
		if err != nil {
			t.Fatal(err)
		}
		defer u2()
		if got := discover(t, srv.URL); len(got) != 1 || got[0]["address"] != "https://other:1" {
			t.Fatalf("list = %v", got)
		}
	})
}
