package probe_test

import (
	"testing"

	"github.com/podiumhq/podium/probe"
)

func TestKnownTransport(t *testing.T) {
	for _, n := range probe.TransportNames {
		if !probe.KnownTransport(n) {
			t.Errorf("KnownTransport(%q) = false for a name of TransportNames", n)
		}
	}
	if probe.KnownTransport("carrier-pigeon") {
		t.Error("KnownTransport(carrier-pigeon) = true")
	}
	if got := probe.TransportList(" or "); got != "direct or broadcaster" {
		t.Errorf("TransportList = %q", got)
	}
}
