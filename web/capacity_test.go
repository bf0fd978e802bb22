package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web"
)

// validCapacity is a capacity record of orchA from FRA the server accepts,
// ago seconds before testNow.
func validCapacity(id string, ago int64) podium.Capacity {
	c := storetest.CapacityRecord(0, "FRA", testNow.Unix()-ago)
	c.TestID, c.Orchestrator = id, orchA
	return c
}

func postCapacity(t *testing.T, ts *testServer, body []byte, header http.Header) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/post_capacity", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return ts.do(t, req)
}

func TestServer_PostCapacity(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		ts := newTestServer(t, open, web.Config{})
		ctx := context.Background()
		t.Run("OK", func(t *testing.T) {
			rec := validCapacity("capacity-1", 3600)
			if res, err := ts.client.PostCapacity(ctx, rec); err != nil || res.Status != web.StatusStored || res.TestID != "capacity-1" {
				t.Fatalf("post: %+v, %v", res, err)
			}
			// Posted again (a retry): stored once.
			if res, err := ts.client.PostCapacity(ctx, rec); err != nil || res.Status != web.StatusDuplicate {
				t.Fatalf("repost: %+v, %v", res, err)
			}
		})
		for _, tc := range []struct {
			name   string
			body   func() []byte
			header func([]byte) http.Header
			status int
			field  string
		}{
			{"ErrUnsigned", func() []byte { return mustJSON(t, validCapacity("c-u", 60)) }, func([]byte) http.Header { return nil }, http.StatusForbidden, ""},
			{"ErrWrongSecret", func() []byte { return mustJSON(t, validCapacity("c-w", 60)) }, func(b []byte) http.Header {
				return http.Header{"Authorization": {web.Sign([]byte("guess"), b)}}
			}, http.StatusForbidden, ""},
			{"ErrInflated", func() []byte {
				c := validCapacity("c-i", 60)
				c.Streams, c.Renditions = 8, 16 // more than any level sustained
				return mustJSON(t, c)
			}, nil, http.StatusBadRequest, "streams"},
			{"ErrLevelType", func() []byte {
				return []byte(strings.Replace(string(mustJSON(t, validCapacity("c-t", 60))), `"segments":5,`, `"segments":"five",`, 1))
			}, nil, http.StatusBadRequest, "levels"},
			{"ErrNoTestID", func() []byte { return mustJSON(t, validCapacity("", 60)) }, nil, http.StatusBadRequest, "test_id"},
			{"ErrTwoRecords", func() []byte {
				b := mustJSON(t, validCapacity("c-2", 60))
				return append(b, b...)
			}, nil, http.StatusBadRequest, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				body := tc.body()
				h := signed(body, testNow)
				if tc.header != nil {
					h = tc.header(body)
				}
				status, out := postCapacity(t, ts, body, h)
				if status != tc.status || (tc.field != "" && out["field"] != tc.field) {
					t.Fatalf("got %d %v, want %d field %q", status, out, tc.status, tc.field)
				}
			})
		}
	})
}

func TestServer_Capacity(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		ts := newTestServer(t, open, web.Config{})
		ctx := context.Background()
		// Days 40, 2 and 1 ago from FRA; 1 day ago from MDW, capped at once.
		for i, ago := range []int64{40 * 86400, 2 * 86400, 86400} {
			if _, err := ts.client.PostCapacity(ctx, validCapacity(fmt.Sprintf("cap-fra-%d", i), ago)); err != nil {
				t.Fatal(err)
			}
		}
		capped := validCapacity("cap-mdw", 86400-60)
		capped.Region, capped.Streams, capped.Renditions = "MDW", 0, 0
		capped.Levels = []podium.CapacityLevel{{Streams: 1, Segments: 5, Capped: 5, Verdict: podium.CapacityStoppedCapped}}
		if _, err := ts.client.PostCapacity(ctx, capped); err != nil {
			t.Fatal(err)
		}

		t.Run("DefaultWindow", func(t *testing.T) {
			out, err := ts.client.Capacity(ctx, podium.StatsQuery{Orchestrator: strings.ToUpper(orchA)})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, c := range out.History {
				ids = append(ids, c.TestID)
			}
			if fmt.Sprint(ids) != "[cap-mdw cap-fra-2 cap-fra-1]" || out.Latest == nil || out.Latest.TestID != "cap-mdw" {
				t.Fatalf("history %v, latest %+v; want the last 30 days newest first", ids, out.Latest)
			}
			if out.Latest.Streams != 0 || out.Latest.StoppedBy != podium.CapacityStoppedCapped {
				t.Errorf("latest %+v: want capped at 0", out.Latest)
			}
		})
		t.Run("RegionAndWindow", func(t *testing.T) {
			// The window holds nothing; latest is still the newest before until.
			status, body := ts.get(t, fmt.Sprintf("/api/capacity?orchestrator=%s&region=fra&since=%d&until=%d", orchA, testNow.Unix()-10*86400, testNow.Unix()-3*86400))
			if status != http.StatusOK || len(body["history"].([]any)) != 0 {
				t.Fatalf("got %d %v", status, body)
			}
			latest := body["latest"].(map[string]any)
			for _, k := range []string{"streams", "renditions", "advertised", "stopped_by", "timestamp"} {
				if _, ok := latest[k]; !ok {
					t.Errorf("latest has no %s: %v", k, latest)
				}
			}
			if latest["test_id"] != "cap-fra-0" || latest["streams"] != 3.0 || latest["renditions"] != 6.0 {
				t.Errorf("latest %v, want cap-fra-0 with 3 streams", latest)
			}
		})
		t.Run("NoTestYet", func(t *testing.T) {
			status, body := ts.get(t, "/api/capacity?orchestrator="+orchB)
			if status != http.StatusOK || body["latest"] != nil || len(body["history"].([]any)) != 0 {
				t.Fatalf("got %d %v; want latest null, history []", status, body)
			}
		})
		for _, tc := range []struct{ name, query, field string }{
			{"ErrNoOrchestrator", "", "orchestrator"},
			{"ErrSince", "?orchestrator=" + orchA + "&since=yesterday", "since"},
			{"ErrUntil", "?orchestrator=" + orchA + "&until=NaN", "until"},
			{"ErrControl", "?orchestrator=%00", "orchestrator"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				status, body := ts.get(t, "/api/capacity"+tc.query)
				if status != http.StatusBadRequest || body["field"] != tc.field {
					t.Fatalf("got %d %v, want 400 on %s", status, body, tc.field)
				}
			})
		}
		t.Run("ErrMethod", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodDelete, ts.URL+"/api/capacity", nil)
			if status, _ := ts.do(t, req); status != http.StatusMethodNotAllowed {
				t.Fatalf("DELETE: %d", status)
			}
		})
	})
}
