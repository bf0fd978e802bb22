package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// runReady runs m with args in the background until the test ends and
// returns the first address m reports ready. log, when not nil, is shown if
// the command ends or does not start instead.
func runReady(t *testing.T, m *Main, args []string, log fmt.Stringer) string {
	t.Helper()
	ready := make(chan string, 1)
	m.Ready = func(_, addr string) {
		select {
		case ready <- addr:
		default:
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, args) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("podium %s: %v", strings.Join(args, " "), err)
		}
	})
	if log == nil {
		log = &strings.Builder{}
	}
	select {
	case addr := <-ready:
		return addr
	case err := <-done:
		done <- nil // for the cleanup
		t.Fatalf("podium %s exited: %v\n%s", strings.Join(args, " "), err, log)
	case <-time.After(10 * time.Second):
		t.Fatalf("podium %s did not start:\n%s", strings.Join(args, " "), log)
	}
	return ""
}
