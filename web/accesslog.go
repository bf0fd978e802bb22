package web

import (
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// postLog keeps the access log of accepted posts short. A busy server takes
// thousands of posts a second, and a line for each cost more CPU than
// authenticating the post (formatting, and a write to the log per request).
// So the first accepted post of each window (a second) is logged in full,
// like any request, and the others of the window are summed into one
// "http summary" line when the window ends: how many, their bytes, their
// mean and largest duration. Every other request, and every post that was
// refused or failed, is still logged on its own line.
type postLog struct {
	logger *slog.Logger
	window time.Duration
	now    func() time.Time
	after  func(d time.Duration, f func()) (stop func() bool) // time.AfterFunc

	mu    sync.Mutex
	start time.Time // the open window's start; zero: none open
	n     int       // posts summed in the open window
	bytes int
	total time.Duration
	max   time.Duration
	stop  func() bool // stops the timer that ends the open window once a post was summed
}

func newPostLog(logger *slog.Logger) *postLog {
	return &postLog{logger: logger, window: time.Second, now: time.Now,
		after: func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }}
}

// summedPost reports whether an accepted post (status 200) is only summed:
// false for the first of a window, which the caller logs in full.
func (l *postLog) summedPost(status, bytes int, d time.Duration) bool {
	if status != http.StatusOK {
		return false
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.start.IsZero() || now.Sub(l.start) >= l.window {
		l.flushLocked()
		l.start = now
		return false
	}
	l.n++
	l.bytes += bytes
	l.total += d
	l.max = max(l.max, d)
	if l.stop == nil {
		l.stop = l.after(l.window-now.Sub(l.start), l.flush)
	}
	return true
}

// flush logs the open window's summary, if any, and closes the window.
func (l *postLog) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushLocked()
	l.start = time.Time{}
}

func (l *postLog) flushLocked() {
	if l.stop != nil {
		l.stop()
		l.stop = nil
	}
	if l.n == 0 {
		return
	}
	l.logger.Info("http summary", "method", http.MethodPost, "path", "/api/post_stats", "status", http.StatusOK,
		"requests", l.n, "bytes", l.bytes, "duration_mean", l.total/time.Duration(l.n), "duration_max", l.max,
		"since", l.start.UTC().Format(time.RFC3339Nano))
	l.n, l.bytes, l.total, l.max = 0, 0, 0, 0
}
