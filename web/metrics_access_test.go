package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/podiumhq/podium/web"
)

func TestServer_MetricsAccess(t *testing.T) {
	get := func(t *testing.T, url, auth string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	forEachStore(t, func(t *testing.T, open opener) {
		t.Run("ErrToken", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{MetricsToken: []byte("s3cret")})
			for _, auth := range []string{"", "Bearer wrong", "s3cret", "Basic czNjcmV0"} {
				if got := get(t, ts.URL+"/metrics", auth); got != http.StatusUnauthorized {
					t.Errorf("Authorization %q: status %d, want 401", auth, got)
				}
			}
			if got := get(t, ts.URL+"/metrics", "Bearer s3cret"); got != http.StatusOK {
				t.Errorf("with the token: status %d", got)
			}
		})
		t.Run("OKElsewhere", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{MetricsElsewhere: true})
			if got := get(t, ts.URL+"/metrics", ""); got != http.StatusNotFound {
				t.Errorf("/metrics on the API's listener: status %d, want 404", got)
			}
			own := httptest.NewServer(ts.srv.Metrics())
			defer own.Close()
			if got := get(t, own.URL+"/metrics", ""); got != http.StatusOK {
				t.Errorf("/metrics on its own listener: status %d", got)
			}
		})
	})
}
