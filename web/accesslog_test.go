package web

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestPostLog checks the sampling of accepted posts: the first of each
// window is logged in full by the caller, the others are summed into one
// summary line when the window ends, and a refused post is never summed.
func TestPostLog(t *testing.T) {
	var buf bytes.Buffer
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	now := t0
	l := newPostLog(slog.New(slog.NewTextHandler(&buf, nil)))
	l.now = func() time.Time { return now }
	var timers []time.Duration
	l.after = func(d time.Duration, _ func()) func() bool {
		timers = append(timers, d)
		return func() bool { return true }
	}

	if l.summedPost(200, 40, time.Millisecond) {
		t.Fatal("the first post of a window was summed, not logged")
	}
	for i, d := range []time.Duration{2 * time.Millisecond, 4 * time.Millisecond, 6 * time.Millisecond} {
		now = t0.Add(time.Duration(i+1) * 100 * time.Millisecond)
		if !l.summedPost(200, 40, d) {
			t.Fatalf("post %d of the window was not summed", i+2)
		}
	}
	for _, status := range []int{400, 403, 413, 500, 503} {
		if l.summedPost(status, 80, time.Millisecond) {
			t.Errorf("a post answered %d was summed; every failure must be logged on its own", status)
		}
	}
	if buf.Len() != 0 {
		t.Fatalf("summary logged before its window ended:\n%s", &buf)
	}
	if len(timers) != 1 || timers[0] != 900*time.Millisecond {
		t.Errorf("timers %v, want one of 900ms, at the window's end", timers)
	}
	now = t0.Add(time.Second) // the next window: its first post ends the last one
	if l.summedPost(200, 40, time.Millisecond) {
		t.Fatal("the first post of the second window was summed")
	}
	out := buf.String()
	for _, want := range []string{`msg="http summary"`, "path=/api/post_stats status=200 requests=3 bytes=120",
		"duration_mean=4ms duration_max=6ms", "since=2026-12-01T10:00:00Z"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 1 {
		t.Errorf("%d lines logged, want 1:\n%s", n, out)
	}

	buf.Reset()
	now = now.Add(10 * time.Millisecond)
	l.summedPost(200, 50, 3*time.Millisecond)
	l.flush() // the window's timer, or Close
	if out := buf.String(); !strings.Contains(out, "requests=1 bytes=50") {
		t.Errorf("flush did not log the open window:\n%s", out)
	}
	buf.Reset()
	l.flush()
	if buf.Len() != 0 {
		t.Errorf("an empty window was logged:\n%s", &buf)
	}
	now = now.Add(10 * time.Millisecond)
	if l.summedPost(200, 40, time.Millisecond) {
		t.Error("the first post after a flush was summed")
	}
}
