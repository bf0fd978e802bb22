package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// boardServer answers every aggregated_stats request with body.
func boardServer(t *testing.T, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/aggregated_stats" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestCompare(t *testing.T) {
	const a = `{"0xa":{"FRA":{"success_rate":0.5,"round_trip_score":0.7,"score":0.35},"SIN":{"success_rate":1,"round_trip_score":0.5,"score":0.5}}}`
	ws := CompareWindows(HistoryEnd(1000))
	for _, tc := range []struct {
		name, b string
		ok      bool
		want    string
	}{
		{"OK", `{"0xa":{"SIN":{"success_rate":1,"round_trip_score":0.5,"score":0.5},"FRA":{"success_rate":0.50000000000001,"round_trip_score":0.7,"score":0.35}}}`, true, ""},
		{"ErrApart", `{"0xa":{"FRA":{"success_rate":0.5000000002,"round_trip_score":0.7,"score":0.35},"SIN":{"success_rate":1,"round_trip_score":0.5,"score":0.5}}}`, false, "0xa FRA"},
		{"ErrMissing", `{"0xa":{"FRA":{"success_rate":0.5,"round_trip_score":0.7,"score":0.35}}}`, false, "0xa SIN only on the first"},
		{"ErrExtra", `{"0xa":{"FRA":{"success_rate":0.5,"round_trip_score":0.7,"score":0.35},"SIN":{"success_rate":1,"round_trip_score":0.5,"score":0.5}},"0xb":{"FRA":{"success_rate":0,"round_trip_score":0,"score":0}}}`, false, "0xb FRA only on the second"},
		{"ErrNotJSON", `<html>`, false, "decoding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ag, err := Compare(context.Background(), http.DefaultClient, boardServer(t, a), boardServer(t, tc.b), ws, 1e-10)
			if tc.ok {
				if err != nil || ag.Scores != 6*len(ws) || ag.MaxDiff == 0 || ag.MaxDiff > 1e-10 {
					t.Fatalf("got %+v, %v; want %d scores agreeing", ag, err, 6*len(ws))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error naming %q", err, tc.want)
			}
		})
	}
	t.Run("ErrEmpty", func(t *testing.T) {
		if _, err := Compare(context.Background(), http.DefaultClient, boardServer(t, "{}"), boardServer(t, "{}"), ws, 1e-10); err == nil {
			t.Fatal("two empty boards were taken for agreement")
		}
	})
}

func TestWindows(t *testing.T) {
	ws := Windows7d24h(1000000)
	if ws[0].Path != "/api/aggregated_stats?since=395200.5&until=1000000.5" || ws[1].Path != "/api/aggregated_stats?since=913600.5&until=1000000.5" {
		t.Errorf("windows %+v", ws)
	}
}
