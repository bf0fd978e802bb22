package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// testNow is the server clock in these tests.
var testNow = time.Unix(1723742000, 0)

const (
	orchA = "0x0fc80afb7876f579f1fb1c4d1c37cf1339038658"
	orchB = "0x3e2b450c0c499d8301146367680e067cd009db93"
)

var testSecret = []byte("test-secret")

type testServer struct {
	*httptest.Server
	srv    *web.Server
	store  podium.StatsStore
	client *web.Client
}

func newTestServer(t *testing.T, open opener, cfg web.Config) *testServer {
	t.Helper()
	store := open(t)
	if cfg.Secret == nil {
		cfg.Secret = testSecret
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	srv, err := web.NewServer(store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		srv.Close(context.Background())
	})
	c := web.NewClient(hs.URL, cfg.Secret)
	c.Now = cfg.Now
	return &testServer{Server: hs, srv: srv, store: store, client: c}
}

// validStats is a record the server accepts; tests change one thing at a time.
func validStats() podium.Stats {
	return podium.Stats{
		Region: "FRA", Orchestrator: orchA, Timestamp: testNow.Unix() - 60,
		SegmentsSent: 15, SegmentsReceived: 45, SuccessRate: 1,
		SegDuration: 2, UploadTime: 0.5, DownloadTime: 0.3, TranscodeTime: 0.4, RoundTripTime: 1.2,
		Errors: []podium.StatsError{}, TestID: "t-1", VerifiedRenditions: 45,
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post sends body with the given headers and returns the status and the
// decoded JSON answer.
func (ts *testServer) post(t *testing.T, body []byte, header http.Header) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/post_stats", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return ts.do(t, req)
}

func (ts *testServer) get(t *testing.T, path string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ts.do(t, req)
}

func (ts *testServer) do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: content type %q, body %s", req.Method, req.URL.Path, ct, data)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s %s: %v in %s", req.Method, req.URL.Path, err, data)
	}
	return resp.StatusCode, out
}

// signed returns both signature headers for body signed at t.
func signed(body []byte, t time.Time) http.Header {
	return http.Header{
		"Authorization":     {web.Sign(testSecret, body)},
		web.SignatureHeader: {web.SignTimestamped(testSecret, body, t, "")},
	}
}

// count returns the number of stored records of the test data set.
func count(t *testing.T, store podium.StatsStore) int {
	t.Helper()
	recs, err := store.RawStats(context.Background(), podium.StatsQuery{Since: 0, Until: testNow.Unix() + 3600})
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

func jsonDecode(resp *http.Response, out any) error { return json.NewDecoder(resp.Body).Decode(out) }

func readAll(resp *http.Response) (string, error) {
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}
