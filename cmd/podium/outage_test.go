package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web"
)

// cutProxy forwards loopback TCP connections to target until cut, which
// drops every connection and refuses new ones, as a database restart
// does; restore listens again on the same address.
type cutProxy struct {
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	p := &cutProxy{target: target, conns: make(map[net.Conn]bool)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(func() { p.cut(); p.wg.Wait() })
	return p
}

func (p *cutProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			if !p.track(c, up) {
				return
			}
			p.wg.Add(2)
			go func() { defer p.wg.Done(); io.Copy(up, c); up.Close() }()
			go func() { defer p.wg.Done(); io.Copy(c, up); c.Close() }()
		}
	}()
}

// track registers a connection pair; false (and both closed) once cut.
func (p *cutProxy) track(c, up net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		c.Close()
		up.Close()
		return false
	}
	p.conns[c], p.conns[up] = true, true
	return true
}

// cut closes the listener and every connection through the proxy.
func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// restore listens again on the proxy's address.
func (p *cutProxy) restore(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy listens again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// via returns dsn with its host replaced by the proxy's address.
func (p *cutProxy) via(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.addr
	return u.String()
}

// TestServe_PostgresOutage cuts the connection between `podium serve` and
// PostgreSQL during sustained ingest (a loopback proxy stands in for a
// database restart without disturbing other tests sharing the server):
// /healthz turns 503, then, once the database is back, the service
// recovers by itself: /healthz 200 and posts acknowledged again, a prober's
// spool filled during the outage drains, and every acknowledged or spooled
// record is stored once.
func TestServe_PostgresOutage(t *testing.T) {
	dsn := storetest.FreshSchema(t, storetest.PostgresDSN(t))
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, u.Host)
	srv := startServeChild(t, []string{"PODIUM_SECRET=" + testSecret}, "--db", proxy.via(t, dsn))

	p := startPosters(srv.URL, 8, time.Now().Add(-time.Hour).Unix())
	defer p.stop()
	p.waitAcked(t, 200)

	proxy.cut()
	cutAt := time.Now()
	c := &http.Client{Timeout: 10 * time.Second}
	for {
		resp, err := c.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatalf("healthz during the outage: %v (the server must answer, with 503)", err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			break
		}
		if time.Since(cutAt) > 10*time.Second {
			t.Fatalf("healthz still %d 10 s into the outage", resp.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A prober finishing tests during the outage: its sender spools them.
	spool, err := probe.OpenSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	client := web.NewClient(srv.URL, []byte(testSecret))
	client.HTTP.Timeout = 5 * time.Second
	sender := &probe.Sender{Spool: spool, Logger: slog.New(slog.DiscardHandler),
		Poster:  probe.PosterFunc(func(ctx context.Context, rec podium.Stats) error { _, err := client.PostStats(ctx, rec); return err }),
		Backoff: probe.Backoff{Initial: 10 * time.Millisecond, Max: 50 * time.Millisecond, Attempts: 2},
		Sleep:   sleepCtx}
	var spooled []string
	for i := range 50 {
		rec := podium.Stats{Region: "MDW", Orchestrator: "0x00000000000000000000000000000000000c0ffe", Timestamp: time.Now().Unix() - int64(i),
			SegmentsSent: 1, SegmentsReceived: 1, SuccessRate: 1, SegDuration: 2, RoundTripTime: 1, TestID: fmt.Sprintf("spool-%d", i)}
		if err := sender.Send(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		spooled = append(spooled, rec.TestID)
	}
	if n, _ := spool.Len(); n != len(spooled) {
		t.Fatalf("%d records spooled during the outage, want %d", n, len(spooled))
	}
	time.Sleep(time.Until(cutAt.Add(2 * time.Second))) // the outage lasts; posts are refused meanwhile
	before := p.errs.Load()

	proxy.restore(t)
	back := time.Now()
	waitHealthy(t, srv.URL, 30*time.Second)
	healthy := time.Since(back)
	p.waitAcked(t, 100)
	posting := time.Since(back)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		_, left, err := sender.Drain(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d records still spooled 30 s after the database came back", left)
		}
	}
	drained := time.Since(back)
	acked := p.stop()
	t.Logf("outage %s; refused posts %d; after the database came back: healthz 200 in %s, 100 posts acknowledged in %s, spool of %d drained in %s; %d acknowledged in all",
		back.Sub(cutAt).Round(time.Millisecond), before, healthy.Round(time.Millisecond), posting.Round(time.Millisecond),
		len(spooled), drained.Round(time.Millisecond), len(acked))
	if before == 0 {
		t.Error("no post was refused during the outage: the proxy did not cut the database")
	}
	checkStored(t, dsn, append(acked, spooled...))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
