package podium

import (
	"net/url"
	"sort"
	"strings"
)

// SharedEndpoint is a group of registry entries whose service URIs point at
// one host: one operator's several entries, or one entry squatting on
// another's node. Either way each is scored as if it were its own
// orchestrator, so the group is shown to people to judge.
type SharedEndpoint struct {
	// Kind is "service URI" when every entry has the same URI, else "host".
	Kind string `json:"kind"`
	// Host is the host name (or IP) the URIs share, lowercase.
	Host string `json:"host"`
	// Addresses are the entries' addresses, sorted.
	Addresses []string `json:"addresses"`
}

// SharedEndpoints returns the groups of two or more orchestrators whose
// service URIs have the same host, sorted by host. Entries without a
// parsable URI are left out.
func SharedEndpoints(orchs []Orchestrator) []SharedEndpoint {
	type group struct {
		uris  map[string]bool
		addrs map[string]bool
	}
	byHost := map[string]*group{}
	for _, o := range orchs {
		u, err := url.Parse(strings.TrimSpace(o.ServiceURI))
		if err != nil || u.Hostname() == "" {
			continue
		}
		host := strings.ToLower(u.Hostname())
		g := byHost[host]
		if g == nil {
			g = &group{uris: map[string]bool{}, addrs: map[string]bool{}}
			byHost[host] = g
		}
		g.uris[strings.ToLower(strings.TrimSuffix(u.Host+u.Path, "/"))] = true
		g.addrs[strings.ToLower(o.Address)] = true
	}
	var out []SharedEndpoint
	for host, g := range byHost {
		if len(g.addrs) < 2 {
			continue
		}
		s := SharedEndpoint{Kind: "host", Host: host}
		if len(g.uris) == 1 {
			s.Kind = "service URI"
		}
		for a := range g.addrs {
			s.Addresses = append(s.Addresses, a)
		}
		sort.Strings(s.Addresses)
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out
}

// SharedWith returns the groups among shared that hold address.
func SharedWith(shared []SharedEndpoint, address string) []SharedEndpoint {
	address = strings.ToLower(address)
	var out []SharedEndpoint
	for _, s := range shared {
		for _, a := range s.Addresses {
			if a == address {
				out = append(out, s)
				break
			}
		}
	}
	return out
}
