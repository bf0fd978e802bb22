package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/web"
)

// TestServeChild is not a test: TestServe_KillNine runs the test binary
// with it selected to get a `podium serve` process it can kill.
func TestServeChild(t *testing.T) {
	if os.Getenv("PODIUM_TEST_CHILD") != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	m := NewMain()
	if err := m.Run(context.Background(), args); err != nil {
		os.Exit(m.Report(err))
	}
}

var listeningRE = regexp.MustCompile(`msg=listening component=serve addr=(\S+)`)

// TestServe_KillNine posts from several clients, kills the server with
// SIGKILL in the middle, and checks that every acknowledged record is stored.
func TestServe_KillNine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kill.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$", "--", "serve", "--listen", "127.0.0.1:0", "--db", db)
	cmd.Env = append(os.Environ(), "PODIUM_TEST_CHILD=1", "PODIUM_SECRET="+testSecret)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	var url string
	select {
	case a := <-addr:
		url = "http://" + a
	case <-time.After(20 * time.Second):
		t.Fatal("child serve did not start")
	}

	c := web.NewClient(url, []byte(testSecret))
	c.HTTP.Timeout = 5 * time.Second
	var (
		mu    sync.Mutex
		acked []string
		total atomic.Int64
		wg    sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	now := time.Now().Unix()
	for p := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				id := fmt.Sprintf("kill-%d-%d", p, i)
				rec := podium.Stats{Region: "FRA", Orchestrator: fmt.Sprintf("0x%040x", p+1), Timestamp: now - int64(i%100),
					SegmentsSent: 1, SuccessRate: 1, SegDuration: 2, RoundTripTime: 1, TestID: id}
				if _, err := c.PostStats(ctx, rec); err != nil {
					return // the server is gone
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
				total.Add(1)
			}
		}()
	}
	for deadline := time.Now().Add(30 * time.Second); total.Load() < 200; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d posts acknowledged in 30 s", total.Load())
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed = true
	cmd.Wait()
	wg.Wait()

	st, err := sqlite.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, err := st.RawStats(context.Background(), podium.StatsQuery{Since: 0, Until: now + 1})
	if err != nil {
		t.Fatal(err)
	}
	stored := make(map[string]bool, len(recs))
	for _, r := range recs {
		stored[r.TestID] = true
	}
	for _, id := range acked {
		if !stored[id] {
			t.Errorf("acknowledged record %s was lost", id)
		}
	}
	t.Logf("%d acknowledged, %d stored", len(acked), len(recs))
}
