package web_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestServer_Golden pins the exact bytes of each read endpoint's answer for
// a small data set, so a change of shape is a visible diff.
func TestServer_Golden(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		const since = 1723000000
		ts := newTestServer(t, open, web.Config{})
		withErrors := rec(orchB, "SIN", since+30, 2, 0, 0)
		withErrors.Errors = []podium.StatsError{{ErrorCode: "OrchestratorCapped", Message: "capacity reached", Count: 15}}
		withErrors.TestID = "g-3"
		first := rec(orchA, "FRA", since, 2, 1.5, 1)
		first.TestID, first.VerifiedRenditions = "g-1", 45
		addStats(t, ts.store, first, rec(orchA, "FRA", since+60, 2.0088, 1.947, 0.8666666667), rec(orchA, "MDW", since+10, 2, 2.6, 1), withErrors)
		for _, tt := range []struct{ name, path string }{
			{"aggregated_stats", fmt.Sprintf("/api/aggregated_stats?since=%d&until=%d", since, since+3600)},
			{"aggregated_stats_region", fmt.Sprintf("/api/aggregated_stats?since=%d&until=%d&region=fra", since, since+3600)},
			{"raw_stats", fmt.Sprintf("/api/raw_stats?orchestrator=%s&since=%d&until=%d", orchA, since, since+3600)},
			{"raw_stats_errors", fmt.Sprintf("/api/raw_stats?orchestrator=%s&since=%d&until=%d", orchB, since, since+3600)},
			{"regions", "/api/regions"},
			{"error_since", "/api/aggregated_stats?since=yesterday"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				resp, err := http.Get(ts.URL + tt.path)
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "golden", tt.name+".json")
				if *update {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("GET %s:\n got %s\nwant %s", tt.path, got, want)
				}
			})
		}
	})
}
