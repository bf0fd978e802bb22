package probe

import (
	"slices"
	"strings"
)

// The names of the transports a prober can be told to use (--transport,
// --transport-for): the keys of its Transports registry.
const (
	// TransportDirect is the prober acting as the broadcaster itself
	// (Direct).
	TransportDirect = "direct"
	// TransportBroadcaster sends through a go-livepeer broadcaster's HTTP
	// ingest (Broadcaster).
	TransportBroadcaster = "broadcaster"
)

// TransportNames lists every transport's name, the default first. The
// command's flags, their help and their checks are built from it.
var TransportNames = []string{TransportDirect, TransportBroadcaster}

// KnownTransport reports whether name is one of TransportNames.
func KnownTransport(name string) bool { return slices.Contains(TransportNames, name) }

// TransportList joins TransportNames with sep, for help and hints:
// "direct or broadcaster", "direct|broadcaster".
func TransportList(sep string) string { return strings.Join(TransportNames, sep) }
