package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// lockedBuffer is a log destination safe for concurrent handlers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServer_Log checks that each request is logged and that neither the
// secret nor a signature ever reaches the log, even at debug level.
func TestServer_Log(t *testing.T) {
	var logs lockedBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := newTestServer(t, openSQLite, web.Config{Logger: logger})
	ctx := context.Background()
	rec := validStats()
	if _, err := ts.client.PostStats(ctx, rec); err != nil {
		t.Fatal(err)
	}
	web.NewClient(ts.URL, []byte("wrong-secret")).PostStats(ctx, rec)
	ts.client.AggregatedStats(ctx, podium.StatsQuery{})
	body := mustJSON(t, rec)
	out := logs.String()
	for _, want := range []string{"path=/api/post_stats status=200", "path=/api/post_stats status=403", "path=/api/aggregated_stats status=200"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{string(testSecret), "wrong-secret", web.Sign(testSecret, body), "Authorization", "v1="} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}
