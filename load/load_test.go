package load

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func TestCheckLoopback(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8088", "http://[::1]:1", "http://localhost:9"} {
		t.Run("OK/"+u, func(t *testing.T) {
			if err := CheckLoopback(u); err != nil {
				t.Fatal(err)
			}
		})
	}
	for _, u := range []string{"http://10.0.0.1:8088", "https://leaderboard.example.com", "not a url", "http://127.0.0.1.example.com"} {
		t.Run("ErrNotLoopback/"+u, func(t *testing.T) {
			var e *podium.Error
			if err := CheckLoopback(u); !errors.As(err, &e) || e.Code != podium.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
		})
	}
}

func TestRun_ErrRemote(t *testing.T) {
	if _, err := Run(context.Background(), Config{URL: "http://192.0.2.1", Duration: time.Second}); err == nil {
		t.Fatal("Run loaded a non-loopback address")
	}
}

func TestQuantile(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}} {
		if got := quantile(ds, tc.q); got != tc.want {
			t.Errorf("quantile(%v) = %s, want %s", tc.q, got, tc.want)
		}
	}
	if quantile(nil, 0.5) != 0 {
		t.Error("quantile of nothing is not 0")
	}
}
