package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

func TestClient_Errors(t *testing.T) {
	ts := newTestServer(t, openSQLite, web.Config{})
	ctx := context.Background()
	bad := validStats()
	bad.Region = "XYZ"
	for _, tt := range []struct {
		name, code, field, text string
		call                    func() error
	}{
		{"ErrInvalid", podium.EINVALID, "region", `region: unknown region "XYZ" (POST /api/post_stats: 400 Bad Request)`, func() error {
			_, err := ts.client.PostStats(ctx, bad)
			return err
		}},
		{"ErrUnauthorized", podium.EUNAUTHORIZED, "", "request can not be authenticated (POST /api/post_stats: 403 Forbidden)", func() error {
			_, err := web.NewClient(ts.URL, []byte("other")).PostStats(ctx, validStats())
			return err
		}},
		{"ErrRawStatsWithoutOrchestrator", podium.EINVALID, "orchestrator", "orchestrator: is a required parameter", func() error {
			_, err := ts.client.RawStats(ctx, podium.StatsQuery{})
			return err
		}},
		{"ErrUnavailable", podium.EUNAVAILABLE, "", "POST /api/post_stats", func() error {
			_, err := web.NewClient("http://127.0.0.1:1", testSecret).PostStats(ctx, validStats())
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if podium.ErrorCode(err) != tt.code || podium.ErrorField(err) != tt.field || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("got %v (code %q, field %q)", err, podium.ErrorCode(err), podium.ErrorField(err))
			}
		})
	}
}
