package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

func TestPost(t *testing.T) {
	url := startServe(t, "--db", filepath.Join(t.TempDir(), "post.db"))
	now := time.Now().Unix()
	lines := fmt.Sprintf(`{"region":"FRA","orchestrator":"0x0fc80afb7876f579f1fb1c4d1c37cf1339038658","timestamp":%d,"success_rate":1,"seg_duration":2,"round_trip_time":1,"test_id":"p-1"}
{"region":"XYZ","orchestrator":"0x0fc80afb7876f579f1fb1c4d1c37cf1339038658","timestamp":%d}
{"region":"FRA","orchestrator":"0x0fc80afb7876f579f1fb1c4d1c37cf1339038658","timestamp":%d,"success_rate":1,"seg_duration":2,"round_trip_time":1,"test_id":"p-1"}
`, now-10, now-10, now-10)
	env := map[string]string{"PODIUM_SECRET": testSecret}

	t.Run("OK", func(t *testing.T) {
		m, stdout, stderr := testMain(t, env)
		m.Stdin = strings.NewReader(lines)
		err := m.Run(context.Background(), []string{"post", "--leaderboard", url, "-"})
		if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(err.Error(), "1 of 3 records were refused") {
			t.Fatalf("got %v", err)
		}
		for _, want := range []string{"line 1: stored p-1", "line 3: duplicate p-1"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("stdout lacks %q:\n%s", want, stdout)
			}
		}
		if !strings.Contains(stderr.String(), `line 2: region: `) || !strings.Contains(stderr.String(), "unknown region") {
			t.Errorf("stderr: %s", stderr)
		}
		raw, err := web.NewClient(url, nil).RawStats(context.Background(),
			podium.StatsQuery{Orchestrator: "0x0fc80afb7876f579f1fb1c4d1c37cf1339038658"})
		if err != nil || len(raw["FRA"]) != 1 {
			t.Fatalf("raw %v, %v", raw, err)
		}
	})
	t.Run("ErrUnauthorized", func(t *testing.T) {
		m, _, _ := testMain(t, map[string]string{"PODIUM_SECRET": "wrong"})
		m.Stdin = strings.NewReader(lines)
		err := m.Run(context.Background(), []string{"post", "--leaderboard", url, "-"})
		if podium.ErrorCode(err) != podium.EUNAUTHORIZED || !strings.Contains(err.Error(), "line 1") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, args := range [][]string{
			{"post", "-"},
			{"post", "--leaderboard", "localhost:1", "-"},
			{"post", "--leaderboard", url, "testdata/none.jsonl"},
		} {
			m, _, _ := testMain(t, env)
			if err := m.Run(context.Background(), args); err == nil {
				t.Errorf("%v: no error", args)
			}
		}
	})
}
