package demo

import "testing"

func TestFailureKind(t *testing.T) {
	for _, tt := range []struct{ msg, want string }{
		{"P360p30fps16x9: Black: mean gray 0.0 with no detail (spread 0.0, the source's 65.9)", "P360p30fps16x9: Black"},
		{"P240p30fps16x9: Stale: the frame counter says segment 3", "P240p30fps16x9: Stale"},
		{"no renditions", "no renditions"},
	} {
		if got := failureKind(tt.msg); got != tt.want {
			t.Errorf("failureKind(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}
