package web_test

import (
	"net/http"
	"testing"

	"github.com/podiumhq/podium/web"
)

// With the leaderboard's default regions a tester's AI record for LAX is
// taken; one for SIN, which tests no AI, is refused with what to do.
func TestServer_PostStatsRegionJobType(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		ts := newTestServer(t, open, web.Config{})
		for _, tc := range []struct {
			name, region string
			ai           bool
			want         int
		}{
			{"OKAIInLAX", "LAX", true, http.StatusOK},
			{"OKTranscodingInLAX", "LAX", false, http.StatusOK},
			{"OKAIInGLOBAL", "GLOBAL", true, http.StatusOK},
			{"ErrAIInSIN", "SIN", true, http.StatusBadRequest},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := validStats()
				s.Region, s.TestID = tc.region, "rj-"+tc.name
				if tc.ai {
					s.Pipeline, s.Model = "upscale", "stabilityai/stable-diffusion-x4-upscaler"
				}
				body := mustJSON(t, s)
				status, out := ts.post(t, body, http.Header{"Authorization": {web.Sign(testSecret, body)}})
				if status != tc.want {
					t.Fatalf("status %d %v, want %d", status, out, tc.want)
				}
				if tc.want != http.StatusOK && (out["field"] != "region" || out["hint"] == nil) {
					t.Fatalf("refusal %v does not name the region field with a hint", out)
				}
			})
		}
	})
}
