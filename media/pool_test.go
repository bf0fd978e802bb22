package media

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestNonceSeq_Next(t *testing.T) {
	a, b := NewNonceSeq(7), NewNonceSeq(7)
	seen := map[uint32]bool{}
	for i := 0; i < 100_000; i++ {
		n := a.Next()
		if n == 0 || seen[n] {
			t.Fatalf("draw %d: nonce %d is 0 or repeats", i, n)
		}
		seen[n] = true
		if m := b.Next(); m != n {
			t.Fatalf("draw %d: same seed gives %d and %d", i, n, m)
		}
	}
	if NewNonceSeq(8).Next() == NewNonceSeq(7).Next() {
		t.Fatal("different seeds start alike")
	}
}

func TestPool_Get(t *testing.T) {
	t.Parallel()
	p := NewPool(PoolConfig{Size: 1, Seed: 42})
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	first, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A full pool has the next one ready before anyone asks.
	deadline := time.Now().Add(time.Minute)
	for len(p.ready) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(p.ready) != 1 {
		t.Fatalf("%d segments ready, want 1", len(p.ready))
	}
	second, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := NewNonceSeq(42)
	for _, s := range []*Segment{first, second} {
		if n := want.Next(); s.Nonce != n || s.Fingerprint.Nonce != n {
			t.Fatalf("segment nonce %d, fingerprint %d, want %d", s.Nonce, s.Fingerprint.Nonce, n)
		}
		c := s.Fingerprint.Container
		if c.Width != SegmentWidth || c.Height != SegmentHeight || c.Frames != SegmentFrames || c.FPS != SegmentFPS || c.AudioTracks != 1 {
			t.Fatalf("segment container %+v", c)
		}
	}
}

func TestPool_GetErr(t *testing.T) {
	t.Parallel()
	p := NewPool(PoolConfig{Generator: &Generator{FFmpeg: "/nonexistent/ffmpeg"}})
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := p.Get(ctx)
	if err == nil || ctx.Err() != nil || !strings.Contains(err.Error(), "ffmpeg not found") {
		t.Fatalf("Get with a broken generator: %v, want ffmpeg's error before the deadline", err)
	}
}
