package web

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseSignature(t *testing.T) {
	mac := strings.Repeat("ab", 32)
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct{ in, ts, nonce string }{
			{"t=1723742000,v1=" + mac, "1723742000", ""},
			{"v1=" + strings.ToUpper(mac) + ", n=a-b_C9 ,t=1", "1", "a-b_C9"},
		} {
			ts, nonce, got, ok := parseSignature(tt.in)
			if !ok || ts != tt.ts || nonce != tt.nonce || got != mac {
				t.Errorf("%q: got %q %q %q %v", tt.in, ts, nonce, got, ok)
			}
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, in := range []string{
			"", "t=1", "v1=" + mac, "t=x,v1=" + mac, "t=-1,v1=" + mac, "t=+1,v1=" + mac,
			"t=1234567890123,v1=" + mac, "t=1,v1=abc", "t=1,v1=" + strings.Repeat("zz", 32),
			"t=1,n=,v1=" + mac, "t=1,n=a.b,v1=" + mac, "t=1,n=" + strings.Repeat("a", 65) + ",v1=" + mac, "t=1;v1=" + mac,
		} {
			if _, _, _, ok := parseSignature(in); ok {
				t.Errorf("%q accepted", in)
			}
		}
	})
}

func TestReplayGuard_FirstUse(t *testing.T) {
	g := newReplayGuard()
	now := time.Unix(1723742000, 0)
	exp := now.Add(SignatureTolerance)
	if !g.firstUse("a", exp, now) || g.firstUse("a", exp, now.Add(time.Minute)) {
		t.Fatal("a second use within the window was accepted")
	}
	// Once expired, entries are dropped as new ones arrive.
	later := exp.Add(time.Second)
	for i := range 5000 {
		g.firstUse(fmt.Sprint(i), later.Add(SignatureTolerance), later)
	}
	if _, ok := g.seen["a"]; ok {
		t.Fatal("expired signature still remembered")
	}
	if len(g.seen) > 5000 {
		t.Fatalf("%d entries remembered", len(g.seen))
	}
}
