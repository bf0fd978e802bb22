// Package node is podium's reference Livepeer node: an orchestrator that
// transcodes with ffmpeg and can misbehave on purpose (fault modes), and a
// broadcaster that takes HTTP push ingest and sends each segment to an
// orchestrator over the Livepeer protocol. Tests and the demo use them as
// stand-ins for real orchestrators.
package node

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium/lpnet"
)

// Orchestrator is the orchestrator role: it implements lpnet.Backend and
// serves its renditions over HTTPS on the protocol's port.
type Orchestrator struct {
	Signer *lpnet.Signer
	// Recipient is the registered orchestrator address the node works for
	// when its key is another (go-livepeer's -ethOrchAddr); zero means the
	// Signer's own address.
	Recipient common.Address
	// Price is advertised in wei per pixel; nil means free.
	Price *lpnet.PriceInfo
	// Capacity is the number of concurrent sessions (go-livepeer's
	// -maxSessions), advertised in the capabilities; 0 means unlimited.
	Capacity int
	// Transcoders bounds the ffmpeg processes run at once (with
	// FFmpeg.Threads, the CPU transcodes use); segments beyond it wait
	// their turn. 0 means no bound.
	Transcoders int
	Fault       Fault
	// Seed fixes which segments a fault hits.
	Seed   int64
	FFmpeg *FFmpeg
	// SessionIdle frees a session's slot after that long without a
	// segment (go-livepeer: about a minute).
	SessionIdle time.Duration
	// RenditionTTL is how long renditions stay downloadable.
	RenditionTTL time.Duration
	// ServiceURI is advertised to senders; https://<listen address> when
	// empty.
	ServiceURI string
	// MaxSegSize bounds a segment body; lpnet.DefaultMaxSegSize when 0.
	MaxSegSize int
	// AllowUnsigned accepts senders that sign nothing, like an off-chain
	// go-livepeer orchestrator (see lpnet.Server.AllowUnsigned).
	AllowUnsigned bool
	// Tickets, with a Price above 0, make the node charge for its work
	// in tickets; without them a priced node advertises its price and
	// charges nothing.
	Tickets *Tickets
	// AI, when set, serves AI requests on go-livepeer's routes and
	// advertises its pipelines and models (see AIWorker).
	AI     *AIWorker
	Now    func() time.Time
	Logger *slog.Logger

	once     sync.Once
	capacity capacity
	store    *store
	mu       sync.Mutex
	sessions map[string]time.Time // session id → last segment
	previous map[string][]byte    // profile name → last rendition, for the stale fault
}

func (o *Orchestrator) init() {
	o.once.Do(func() {
		if o.Now == nil {
			o.Now = time.Now
		}
		if o.Logger == nil {
			o.Logger = slog.New(slog.DiscardHandler)
		}
		if o.FFmpeg == nil {
			o.FFmpeg = &FFmpeg{}
		}
		if o.SessionIdle == 0 {
			o.SessionIdle = time.Minute
		}
		if o.RenditionTTL == 0 {
			o.RenditionTTL = time.Minute
		}
		o.store = newStore(o.RenditionTTL, o.Now)
		o.sessions = make(map[string]time.Time)
		o.previous = make(map[string][]byte)
	})
}

// Serve runs the orchestrator on ln (TLS, gRPC and HTTPS on the one port)
// until ctx is done.
func (o *Orchestrator) Serve(ctx context.Context, ln net.Listener) error {
	o.init()
	if o.ServiceURI == "" {
		o.ServiceURI = "https://" + ln.Addr().String()
	}
	srv := &lpnet.Server{
		Signer:        o.Signer,
		Recipient:     o.Recipient,
		Backend:       o,
		Price:         o.Price,
		Capacity:      o.Capacity,
		ServiceURI:    o.ServiceURI,
		Files:         o.store,
		MaxSegSize:    o.MaxSegSize,
		AllowUnsigned: o.AllowUnsigned,
		Now:           o.Now,
		Logger:        o.Logger,
	}
	if o.Tickets != nil && o.Price.GetPricePerUnit() > 0 {
		p, err := o.Tickets.payee(o, o.Logger)
		if err != nil {
			return err
		}
		srv.Payee = p
	}
	if o.AI != nil {
		o.AI.init()
		o.AI.store, o.AI.base = o.store, o.ServiceURI
		srv.AI = o.AI
	}
	if o.Fault.Kind == FaultImpersonate {
		srv.Address, srv.Recipient = o.Fault.Address, o.Fault.Address
	}
	return srv.Serve(ctx, ln)
}

// CheckCapacity implements lpnet.Backend: a known session always fits, a
// new one only while fewer than Capacity sessions are active. A session
// that fits takes its slot at once, so concurrent newcomers cannot overfill.
func (o *Orchestrator) CheckCapacity(sessionID string) error {
	o.init()
	if o.Fault.Kind == FaultCapped {
		return lpnet.ErrOrchestratorCapped
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.pruneLocked()
	if _, ok := o.sessions[sessionID]; ok && sessionID != "" {
		return nil
	}
	if o.Capacity > 0 && len(o.sessions) >= o.Capacity {
		return lpnet.ErrOrchestratorCapped
	}
	if sessionID != "" {
		o.sessions[sessionID] = o.Now()
	}
	return nil
}

func (o *Orchestrator) pruneLocked() {
	now := o.Now()
	for id, last := range o.sessions {
		if now.Sub(last) > o.SessionIdle {
			delete(o.sessions, id)
		}
	}
}

// Transcode implements lpnet.Backend: a real ffmpeg transcode, then
// whatever the fault mode does to it.
func (o *Orchestrator) Transcode(ctx context.Context, job *lpnet.Job) ([]lpnet.Output, error) {
	o.init()
	o.mu.Lock()
	o.sessions[job.SessionID] = o.Now()
	o.mu.Unlock()
	log := o.Logger.With("session", job.SessionID, "manifest", job.ManifestID, "seq", job.Seq, "fault", o.Fault.String())

	done, err := o.admit(ctx, job)
	if err != nil {
		return nil, err
	}
	defer done()
	start := time.Now()
	rs, err := o.FFmpeg.Transcode(ctx, job.Data, job.Profiles, o.Fault.look())
	if err != nil {
		log.Info("transcode failed", "err", err)
		return nil, err
	}
	log.Info("segment transcoded", "renditions", len(rs), "took", time.Since(start).Round(time.Millisecond))

	switch o.Fault.Kind {
	case FaultSlow:
		select {
		case <-time.After(o.Fault.Delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case FaultFlaky:
		if draw(o.Seed, job.ManifestID, job.Seq, "flaky") < o.Fault.Fraction {
			return nil, fmt.Errorf("transcode failed (fault: %s)", o.Fault)
		}
	case FaultError:
		return nil, fmt.Errorf("transcode failed (fault: %s)", o.Fault)
	case FaultStale:
		rs = o.swapPrevious(rs)
	case FaultGarbage:
		for i := range rs {
			scramble(rs[i].Data, o.Seed, job.ManifestID, job.Seq, rs[i].Profile.GetName())
		}
	case FaultCopy:
		// The largest rendition is the one a copy can pass for.
		big := 0
		for i := range rs {
			if rs[i].Width*rs[i].Height > rs[big].Width*rs[big].Height {
				big = i
			}
		}
		rs[big].Data = job.Data
	case FaultDrop:
		drop := int(draw(o.Seed, job.ManifestID, job.Seq, "drop") * float64(len(rs)))
		rs = append(rs[:drop:drop], rs[drop+1:]...)
	}

	outs := make([]lpnet.Output, len(rs))
	for i, r := range rs {
		path := fmt.Sprintf("/stream/%s/%s/%d%s", job.SessionID, pathSafe(lpnet.ProfileName(r.Profile)), job.Seq, lpnet.Extension(r.Profile))
		o.store.put(path, r.Data, lpnet.MimeType(r.Profile))
		outs[i] = lpnet.Output{URL: o.ServiceURI + path, Pixels: r.Pixels(), Hash: crypto.Keccak256(r.Data)}
	}
	return outs, nil
}

// swapPrevious returns the renditions of the previous segment in place of
// rs (profile by profile), remembering rs for the next one. The first
// segment of a profile goes out as it is.
func (o *Orchestrator) swapPrevious(rs []Rendition) []Rendition {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := range rs {
		name := lpnet.ProfileName(rs[i].Profile)
		prev, ok := o.previous[name]
		o.previous[name] = rs[i].Data
		if ok {
			rs[i].Data = prev
		}
	}
	return rs
}

// pathSafe keeps a profile name usable as one URL path segment.
func pathSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '?' || r == '#' || r == '%' || r < ' ' {
			return '_'
		}
		return r
	}, s)
}
