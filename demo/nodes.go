package demo

import (
	"context"
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

// Node is a running reference orchestrator of the demo.
type Node struct {
	Character
	podium.Orchestrator
}

// nodes runs the demo's reference orchestrators until ctx ends.
type nodes struct {
	list []*Node
	wg   sync.WaitGroup
}

// startNodes listens for every character and serves it until ctx ends. Keys
// come from the seed, so a demo run again with the same seed has the same
// addresses. On error the nodes started so far are returned too, to be
// stopped with ctx and waited for.
func startNodes(ctx context.Context, cast []Character, seed int64, threads int, log *slog.Logger) (*nodes, error) {
	ns := &nodes{}
	for i, c := range cast {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return ns, fmt.Errorf("orchestrator %s: %w", c.Name, err)
		}
		signer := lpnet.NewSigner(lpnet.KeyFromSeed(seed*100 + int64(i) + 1))
		uri := "https://" + ln.Addr().String()
		o := &node.Orchestrator{
			Signer: signer, Capacity: c.Capacity, Fault: c.Fault, Seed: seed + int64(i),
			FFmpeg: &node.FFmpeg{Threads: threads}, ServiceURI: uri,
			// A capped node frees its one slot soon after a test ends.
			SessionIdle:  5 * time.Second,
			RenditionTTL: time.Minute,
			Logger:       log.With("component", "orchestrator", "name", c.Name),
		}
		n := &Node{Character: c, Orchestrator: podium.Orchestrator{
			Address: strings.ToLower(signer.Address().Hex()), ServiceURI: uri, Name: c.Name + ".eth", Active: true,
		}}
		ns.list = append(ns.list, n)
		ns.wg.Add(1)
		go func() {
			defer ns.wg.Done()
			if err := o.Serve(ctx, ln); err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
				log.Error("orchestrator stopped", "name", c.Name, "err", err)
			}
		}()
	}
	return ns, nil
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
