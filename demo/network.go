package demo

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/podiumhq/podium"
)

// network is the demo's map: for each region, a delay proxy in front of
// every orchestrator, so each region's prober reaches each orchestrator only
// through its own path.
type network struct {
	proxies []*DelayProxy
	// route[region][orchestrator host:port] = proxy host:port
	route map[string]map[string]string
}

func startNetwork(ns []*Node) (*network, error) {
	nw := &network{route: map[string]map[string]string{}}
	for _, r := range Regions {
		nw.route[r] = map[string]string{}
		for _, n := range ns {
			u, err := url.Parse(n.ServiceURI)
			if err != nil {
				nw.Close()
				return nil, err
			}
			p := &DelayProxy{Target: u.Host, Delay: n.Delay[r]}
			if err := p.Start(); err != nil {
				nw.Close()
				return nil, err
			}
			nw.proxies = append(nw.proxies, p)
			nw.route[r][u.Host] = p.Addr()
		}
	}
	return nw, nil
}

// Close stops every proxy.
func (nw *network) Close() {
	for _, p := range nw.proxies {
		p.Close()
	}
}

// transport returns an HTTP transport that reaches the orchestrators from
// region: every connection to an orchestrator goes through its proxy, so
// segments and renditions (whose URLs name the orchestrator itself) cross the
// region's path too.
func (nw *network) transport(region string, base *http.Transport) *http.Transport {
	t := base.Clone()
	routes := nw.route[region]
	d := &net.Dialer{Timeout: 10 * time.Second}
	t.DialContext = func(ctx context.Context, netw, addr string) (net.Conn, error) {
		if via, ok := routes[addr]; ok {
			addr = via
		}
		return d.DialContext(ctx, netw, addr)
	}
	return t
}

// regionalRegistry is a registry as seen from one region: the service URIs
// point at the region's proxies.
type regionalRegistry struct {
	podium.Registry
	routes map[string]string
}

// Orchestrators implements podium.Registry.
func (r regionalRegistry) Orchestrators(ctx context.Context) ([]podium.Orchestrator, error) {
	os, err := r.Registry.Orchestrators(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]podium.Orchestrator, len(os))
	for i, o := range os {
		if u, err := url.Parse(o.ServiceURI); err == nil {
			if via, ok := r.routes[u.Host]; ok {
				u.Host = via
				o.ServiceURI = u.String()
			}
		}
		out[i] = o
	}
	return out, nil
}
