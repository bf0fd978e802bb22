package demo

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/node"
)

// Price is every demo orchestrator's price, in wei per pixel.
var Price = &lpnet.PriceInfo{PricePerUnit: 1200, PixelsPerUnit: 1}

// Node is a running reference orchestrator of the demo.
type Node struct {
	Character
	podium.Orchestrator

	key *ecdsa.PrivateKey
	o   *node.Orchestrator
	ln  net.Listener
}

// nodes runs the demo's reference orchestrators until ctx ends.
type nodes struct {
	list []*Node
	wg   sync.WaitGroup
	log  *slog.Logger
}

// listenNodes listens for every character, so that their addresses and
// service URIs can go on the chain before they serve. Keys come from the
// seed, so a demo run again with the same seed has the same addresses. On
// error the listeners opened so far are closed.
func listenNodes(cast []Character, seed int64, threads int, log *slog.Logger) (*nodes, error) {
	ns := &nodes{log: log}
	for i, c := range cast {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			for _, n := range ns.list {
				n.ln.Close()
			}
			return nil, fmt.Errorf("orchestrator %s: %w", c.Name, err)
		}
		key := lpnet.KeyFromSeed(seed*100 + int64(i) + 1)
		signer := lpnet.NewSigner(key)
		uri := "https://" + ln.Addr().String()
		o := &node.Orchestrator{
			Signer: signer, Capacity: c.Capacity, Fault: c.Fault, Seed: seed + int64(i),
			FFmpeg: &node.FFmpeg{Threads: threads}, ServiceURI: uri, Price: Price,
			// A capped node frees its one slot soon after a test ends.
			SessionIdle:  5 * time.Second,
			RenditionTTL: time.Minute,
			Logger:       log.With("component", "orchestrator", "name", c.Name),
		}
		if c.AI {
			// One request per region at once: the three probers test it
			// at about the same time, and a busy model is a failure.
			models := node.DefaultAIModels()
			for k := range models {
				models[k].Capacity = len(Regions)
			}
			o.AI = &node.AIWorker{Models: models, Fault: c.AIFault, Seed: seed + int64(i), FFmpeg: &node.FFmpeg{Threads: threads},
				Logger: log.With("component", "ai", "name", c.Name)}
		}
		ns.list = append(ns.list, &Node{Character: c, key: key, o: o, ln: ln, Orchestrator: podium.Orchestrator{
			Address: strings.ToLower(signer.Address().Hex()), ServiceURI: uri, Name: c.Name + ".eth", Active: true,
		}})
	}
	return ns, nil
}

// serve serves every node until ctx ends, each taking tickets as
// tickets(n) says (nil: free).
func (ns *nodes) serve(ctx context.Context, tickets func(*Node) *node.Tickets) {
	for _, n := range ns.list {
		n.o.Tickets = tickets(n)
		ns.wg.Add(1)
		go func() {
			defer ns.wg.Done()
			if err := n.o.Serve(ctx, n.ln); err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
				ns.log.Error("orchestrator stopped", "name", n.Character.Name, "err", err)
			}
		}()
	}
}

// wait waits for every orchestrator to stop (after ctx ended).
func (ns *nodes) wait() { ns.wg.Wait() }

// byAddress returns the node with address addr, or nil.
func (ns *nodes) byAddress(addr string) *Node {
	for _, n := range ns.list {
		if n.Address == addr {
			return n
		}
	}
	return nil
}
