package node

import (
	"context"
	"sync"
	"time"

	"github.com/podiumhq/podium/lpnet"
)

// capacity is what bounds an orchestrator's work beyond its session count:
// the ffmpeg processes it runs at once, and the sessions the overclaim
// fault really carries.
type capacity struct {
	once  sync.Once
	slots chan struct{} // one token per ffmpeg process allowed; nil: no bound

	mu       sync.Mutex
	sessions map[string]*claim // overclaim: the sessions seen
}

// claim is how the overclaim fault treats one session.
type claim struct {
	last    time.Time // its last segment
	carried bool      // among the sessions really carried
	held    int       // segments held back so far
}

// admit waits until job may run ffmpeg and returns the function that frees
// its turn. The overclaim fault first holds back the k-th segment of each
// session beyond the ones it really carries by k segment durations, as a
// node whose queue grows by a segment with every segment would: those
// streams fall further behind real time while the node says it has room.
func (o *Orchestrator) admit(ctx context.Context, job *lpnet.Job) (func(), error) {
	o.capacity.once.Do(func() {
		if o.Transcoders > 0 {
			o.capacity.slots = make(chan struct{}, o.Transcoders)
		}
	})
	if o.Fault.Kind == FaultOverclaim {
		if k := o.backlog(job.SessionID); k > 0 {
			if err := sleep(ctx, time.Duration(k)*job.Duration); err != nil {
				return nil, err
			}
		}
	}
	if o.capacity.slots == nil {
		return func() {}, nil
	}
	select {
	case o.capacity.slots <- struct{}{}:
		return func() { <-o.capacity.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// backlog returns how many segment durations the overclaim fault holds
// back the next segment of session id: 0 for the first Fault.Sessions
// sessions active, 1, 2, 3, … for the segments of each other one.
func (o *Orchestrator) backlog(id string) int {
	c := &o.capacity
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sessions == nil {
		c.sessions = make(map[string]*claim)
	}
	now := o.Now()
	carried := 0
	for s, cl := range c.sessions {
		if now.Sub(cl.last) > o.SessionIdle {
			delete(c.sessions, s)
		} else if cl.carried {
			carried++
		}
	}
	cl, ok := c.sessions[id]
	if !ok {
		cl = &claim{carried: carried < o.Fault.Sessions}
		c.sessions[id] = cl
	}
	cl.last = now
	if cl.carried {
		return 0
	}
	cl.held++
	return cl.held
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
