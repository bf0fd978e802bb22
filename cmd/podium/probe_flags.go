package main

import (
	"net/url"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/probe"
)

// validate names the first bad flag and what to do about it.
func (c *probeCmd) validate() error {
	c.region = strings.ToUpper(strings.TrimSpace(c.region))
	switch {
	case c.region == "":
		return podium.FieldError("--region", "is required").WithHint("pass the region ID this prober tests from, e.g. --region FRA")
	case c.leaderboard == "":
		return podium.FieldError("--leaderboard", "is required").WithHint("pass the leaderboard's URL, e.g. --leaderboard http://127.0.0.1:8088")
	case c.rpc != "" && c.orchestrators != "":
		return podium.FieldError("--rpc", "give --orchestrators or --rpc, not both")
	case c.rpc == "" && c.orchestrators == "":
		return podium.FieldError("--orchestrators", "is required").WithHint("pass a CSV file with the header address,service_uri,name,payout_address, or read the chain with --rpc URL")
	case c.controller != "" && c.rpc == "":
		return podium.FieldError("--controller", "goes with --rpc")
	case c.controller != "" && !podium.IsAddress(c.controller):
		return podium.FieldError("--controller", "%q is not a 0x address", c.controller)
	case c.segments < 1 || c.segments > 100:
		return podium.FieldError("--segments", "must be between 1 and 100, got %d", c.segments)
	case c.concurrency < 1:
		return podium.FieldError("--concurrency", "must be at least 1, got %d", c.concurrency)
	case c.jitter < 0 || c.jitter > 1:
		return podium.FieldError("--jitter", "must be between 0 and 1, got %g", c.jitter)
	case !c.once && c.interval <= 0:
		return podium.FieldError("--interval", "must be positive, got %s", c.interval)
	case !c.once && c.retryInterval <= 0:
		return podium.FieldError("--retry-interval", "must be positive, got %s", c.retryInterval)
	case len(c.profiles) == 0:
		return podium.FieldError("--profiles", "must name at least one profile")
	}
	urls := []struct{ name, v string }{
		{"--leaderboard", c.leaderboard}, {"--broadcaster", c.broadcaster}, {"--canary-orchestrator", c.canaryOrchestrator},
	}
	for _, u := range c.canary {
		urls = append(urls, struct{ name, v string }{"--canary", u})
	}
	for _, f := range urls {
		if u, err := url.Parse(f.v); f.v != "" && (err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https")) {
			return podium.FieldError(f.name, "%q is not an http(s)://host:port URL", f.v)
		}
	}
	if err := c.capacity.validate(); err != nil {
		return err
	}
	if err := c.pay.validate(c.key); err != nil {
		return err
	}
	if err := c.ai.validate(); err != nil {
		return err
	}
	for _, p := range c.profiles {
		if _, err := media.LookupProfile(p); err != nil {
			return err
		}
	}
	if _, err := c.pinned(); err != nil {
		return err
	}
	names := map[string]bool{c.transport: true}
	for _, n := range c.mustPinned() {
		names[n] = true
	}
	for n := range names {
		if !probe.KnownTransport(n) {
			return podium.FieldError("--transport", "unknown transport %q", n).WithHint("use " + probe.TransportList(" or "))
		}
	}
	if names[probe.TransportBroadcaster] && c.broadcaster == "" {
		return podium.FieldError("--broadcaster", "is required by the broadcaster transport").WithHint("pass the broadcaster's HTTP ingest URL, e.g. --broadcaster http://127.0.0.1:8935")
	}
	return nil
}

// pinned parses --transport-for into address → transport.
func (c *probeCmd) pinned() (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range c.transportFor {
		addr, name, ok := strings.Cut(kv, "=")
		addr = strings.ToLower(strings.TrimSpace(addr))
		if !ok || !podium.IsAddress(addr) || name == "" {
			return nil, podium.FieldError("--transport-for", "%q is not ADDRESS=TRANSPORT", kv).WithHint("e.g. --transport-for 0xabc…=broadcaster")
		}
		out[addr] = strings.TrimSpace(name)
	}
	return out, nil
}

func (c *probeCmd) mustPinned() map[string]string {
	p, _ := c.pinned()
	return p
}
