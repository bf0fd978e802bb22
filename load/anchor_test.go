package load

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// anchorLike serves the contract of leaderboard-serverless's post_stats and
// raw_stats that anchor mode relies on: the Authorization HMAC, a plain
// "ok", records kept without test_id, raw_stats by region. failEvery > 0
// refuses every failEvery-th post with a 500 after storing it, as the
// anchor answers a post whose insert failed late.
type anchorLike struct {
	mu        sync.Mutex
	secret    []byte
	recs      []podium.Stats
	posts     int
	failEvery int
	dup       bool // store every record twice
}

func (a *anchorLike) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch r.URL.Path {
	case "/api/post_stats":
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != web.Sign(a.secret, body) {
			http.Error(w, `{"error":"request can not be authenticated"}`, http.StatusForbidden)
			return
		}
		var s podium.Stats
		if err := json.Unmarshal(body, &s); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.TestID = "" // the anchor has no such field
		a.recs = append(a.recs, s)
		if a.dup {
			a.recs = append(a.recs, s)
		}
		a.posts++
		if a.failEvery > 0 && a.posts%a.failEvery == 0 {
			http.Error(w, `{"error":"insert failed"}`, http.StatusInternalServerError)
			return
		}
		w.Write([]byte("ok"))
	case "/api/raw_stats":
		out := map[string][]podium.Stats{}
		for _, s := range a.recs {
			if s.Orchestrator == r.URL.Query().Get("orchestrator") {
				out[s.Region] = append(out[s.Region], s)
			}
		}
		json.NewEncoder(w).Encode(out)
	default:
		http.NotFound(w, r)
	}
}

func anchorRun(t *testing.T, a *anchorLike) (Config, *Report, map[string]bool, int) {
	t.Helper()
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	cfg := Config{URL: srv.URL, Secret: a.secret, Anchor: true, Duration: time.Minute, MaxPosts: 300,
		Posters: 4, Orchestrators: 5, Regions: []string{"FRA", "SIN"}, Seed: 7}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	stored, dups, err := StoredAnchor(context.Background(), cfg, rep)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, rep, stored, dups
}

func TestRun_Anchor(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		_, rep, stored, dups := anchorRun(t, &anchorLike{secret: []byte("s")})
		if rep.Errors != 0 || len(rep.Acked) < 300 {
			t.Fatalf("%d errors, %d acknowledged: %v", rep.Errors, len(rep.Acked), rep.FirstErrors)
		}
		if m := Missing(rep.Acked, stored); len(m) != 0 || len(stored) != len(rep.Acked) || dups != 0 {
			t.Fatalf("acknowledged %d, stored %d (%d twice), missing %v", len(rep.Acked), len(stored), dups, m)
		}
	})
	t.Run("ErrRefusedButStored", func(t *testing.T) {
		_, rep, stored, _ := anchorRun(t, &anchorLike{secret: []byte("s"), failEvery: 10})
		if rep.Errors == 0 {
			t.Fatal("a 500 was taken for an acknowledgement")
		}
		if len(stored) != len(rep.Acked)+rep.Errors {
			t.Fatalf("stored %d, want the %d acknowledged and the %d refused", len(stored), len(rep.Acked), rep.Errors)
		}
	})
	t.Run("ErrStoredTwice", func(t *testing.T) {
		_, rep, _, dups := anchorRun(t, &anchorLike{secret: []byte("s"), dup: true})
		if dups != len(rep.Sent) {
			t.Fatalf("%d records seen twice, want all %d", dups, len(rep.Sent))
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		a := &anchorLike{secret: []byte("s")}
		srv := httptest.NewServer(a)
		defer srv.Close()
		rep, err := Run(context.Background(), Config{URL: srv.URL, Secret: []byte("other"), Anchor: true,
			Duration: 200 * time.Millisecond, MaxPosts: 1, Posters: 1, Orchestrators: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Acked) != 0 || rep.Errors == 0 {
			t.Fatalf("acknowledged %d with a wrong secret", len(rep.Acked))
		}
	})
}

func TestKey(t *testing.T) {
	s := podium.Stats{Region: "FRA", Orchestrator: Orchestrator(1), Timestamp: 100, RoundTripTime: 1.25, TestID: "t1"}
	if got := Key(Config{}, s); got != "t1" {
		t.Errorf("podium key %q, want the test_id", got)
	}
	anchor := Config{Anchor: true}
	other := s
	other.RoundTripTime = 1.2500000000000002 // the next float64
	if Key(anchor, s) == Key(anchor, other) {
		t.Error("records one ulp apart share a key")
	}
	other = s
	other.TestID = ""
	if Key(anchor, s) != Key(anchor, other) {
		t.Error("the anchor key depends on test_id, which the anchor drops")
	}
}
