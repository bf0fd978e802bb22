package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web"
)

// crashStores are the databases the crash tests run on.
var crashStores = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "crash.db") }},
	{"postgres", func(t *testing.T) string { return storetest.FreshSchema(t, storetest.PostgresDSN(t)) }},
}

// TestServe_KillNineSnapshot freezes Round 1, then SIGKILLs `podium serve
// --program` during sustained ingest (records inside the round's window
// among them) and restarts it: every acknowledged record is stored once, and
// the snapshot the API serves is byte for byte the one frozen before.
func TestServe_KillNineSnapshot(t *testing.T) {
	for _, tc := range crashStores {
		t.Run(tc.name, func(t *testing.T) {
			dsn := round1DB(t, tc.dsn(t))
			frozen := mustRun(t, round1.At.Add(time.Minute), "snapshot", "--program", round1File, "--round", "1", "--db", dsn)
			env := []string{"PODIUM_SECRET=" + testSecret}
			args := []string{"--db", dsn, "--program", round1File}
			srv := startServeChild(t, env, args...)
			if status, snap := getBody(t, srv.URL+"/api/v1/rounds/1/snapshot"); status != http.StatusOK || !bytes.Equal(snap, []byte(frozen)) {
				t.Fatalf("snapshot before the kill: %d, equal to the frozen one: %v", status, bytes.Equal(snap, []byte(frozen)))
			}

			p := startPosters(srv.URL, 8, round1.At.Add(-72*time.Hour).Unix())
			p.waitAcked(t, 300)
			srv.kill()
			acked := p.stop()

			start := time.Now()
			srv = startServeChild(t, env, args...)
			waitHealthy(t, srv.URL, 30*time.Second)
			t.Logf("%s: %d acknowledged before SIGKILL; serving again %s after restart", tc.name, len(acked), time.Since(start).Round(time.Millisecond))
			status, snap := getBody(t, srv.URL+"/api/v1/rounds/1/snapshot")
			if status != http.StatusOK || !bytes.Equal(snap, []byte(frozen)) {
				t.Errorf("snapshot after restart: %d, %d bytes, equal to the frozen one: %v", status, len(snap), bytes.Equal(snap, []byte(frozen)))
			}
			checkStored(t, dsn, acked)
		})
	}
}

// posters post records from n goroutines until stopped, remembering those
// acknowledged. Odd posters' records fall in the past at base (inside a
// frozen round's window), even ones now.
type posters struct {
	mu     sync.Mutex
	acked  []string
	errs   atomic.Int64
	n      atomic.Int64
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func startPosters(url string, n int, base int64) *posters {
	ctx, cancel := context.WithCancel(context.Background())
	p := &posters{cancel: cancel}
	c := web.NewClient(url, []byte(testSecret))
	c.HTTP.Timeout = 5 * time.Second
	now := time.Now().Unix()
	for g := range n {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				ts := now - int64(i%100)
				if g%2 == 1 {
					ts = base + int64(i%1000)
				}
				id := fmt.Sprintf("crash-%d-%d-%d", now, g, i)
				rec := podium.Stats{Region: "FRA", Orchestrator: fmt.Sprintf("0x%040x", 0xc0de+g), Timestamp: ts,
					SegmentsSent: 1, SegmentsReceived: 1, SuccessRate: 1, SegDuration: 2, RoundTripTime: 1, TestID: id}
				if _, err := c.PostStats(ctx, rec); err != nil {
					p.errs.Add(1)
					time.Sleep(10 * time.Millisecond) // the server is away; try again
					continue
				}
				p.mu.Lock()
				p.acked = append(p.acked, id)
				p.mu.Unlock()
				p.n.Add(1)
			}
		}()
	}
	return p
}

// waitAcked waits until at least k more posts are acknowledged.
func (p *posters) waitAcked(t *testing.T, k int64) {
	t.Helper()
	want := p.n.Load() + k
	for deadline := time.Now().Add(60 * time.Second); p.n.Load() < want; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d posts acknowledged in 60 s", p.n.Load(), want)
		}
	}
}

func (p *posters) stop() []string {
	p.cancel()
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.acked
}

// waitHealthy polls /healthz until it answers 200.
func waitHealthy(t *testing.T, url string, within time.Duration) {
	t.Helper()
	c := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(within); ; time.Sleep(20 * time.Millisecond) {
		resp, err := c.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz not 200 within %s (last: %v)", within, err)
		}
	}
}

// checkStored opens dsn and checks that every id in acked is stored once.
func checkStored(t *testing.T, dsn string, acked []string) {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.RawStats(context.Background(), podium.StatsQuery{Since: 1, Until: time.Now().Unix() + 3600})
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]int, len(recs))
	for _, r := range recs {
		seen[r.TestID]++
	}
	for _, id := range acked {
		switch seen[id] {
		case 1:
		case 0:
			t.Errorf("acknowledged record %s was lost", id)
		default:
			t.Errorf("record %s stored %d times", id, seen[id])
		}
	}
}
