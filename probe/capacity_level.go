package probe

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/podiumhq/podium"
)

// ramp is the streams of one capacity test, kept from level to level.
type ramp struct {
	c          *CapacityTest
	tr         Transport
	o          podium.Orchestrator
	log        *slog.Logger
	id         string
	streams    []*capStream
	opened     int // streams ever opened, to name the next one
	advertised int
}

// capStream is one real-time stream of a ramp: a session and the next
// sequence number it sends.
type capStream struct {
	name    string
	sess    Session
	seq     int
	refused bool // the orchestrator refused it for capacity this level
}

func (r *ramp) close() {
	for _, s := range r.streams {
		_ = s.sess.Close()
	}
}

// level runs n streams at once, opening those the ramp lacks, and judges
// the level. Streams the orchestrator refused are dropped after it.
func (r *ramp) level(ctx context.Context, n int) (CapacityLevel, error) {
	c, t := r.c, r.c.Tester
	lv := CapacityLevel{Streams: n, Segments: n * c.segments(), Errors: map[string]int{}}
	r.log.Info("capacity level start", "streams", n)
	var refusedAtOpen []error
	for len(r.streams)+len(refusedAtOpen) < n {
		name := fmt.Sprintf("%s-s%d", r.id, r.opened)
		r.opened++
		sess, err := r.tr.Open(ctx, r.o, SessionOptions{ManifestID: name, Profiles: t.Profiles, Logger: r.log.With("stream", name),
			Timeout: t.timeout(t.SegDuration), AnyIdentity: t.AnyIdentity})
		if err != nil {
			if ctx.Err() != nil {
				return lv, ctx.Err()
			}
			r.log.Warn("open stream", "stream", name, "code", Classify(err), "err", err)
			refusedAtOpen = append(refusedAtOpen, err)
			continue
		}
		if a, ok := sess.(Advertiser); ok && r.advertised == 0 {
			r.advertised = a.Advertised()
		}
		r.streams = append(r.streams, &capStream{name: name, sess: sess})
	}
	for _, err := range refusedAtOpen {
		if ProberSide(Classify(err)) {
			return lv, fmt.Errorf("capacity test of %s: open stream: %w", r.o.Address, err)
		}
		r.count(&lv, Outcome{Err: err}, c.segments())
	}

	streams := r.streams[:min(n, len(r.streams))]
	// Every segment of the level is made before it starts, so that
	// pacing does not wait on the prober's own segment source (ffmpeg on
	// a busy machine is slower than many real-time streams).
	segs, err := r.segments(ctx, len(streams)*c.segments())
	if err != nil {
		return lv, fmt.Errorf("capacity test of %s: %w", r.o.Address, err)
	}
	outcomes := make([][]Outcome, len(streams))
	var wg sync.WaitGroup
	begin := t.Now()
	for i, s := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Streams start spread over one segment's duration, as
			// independent streams would.
			offset := t.SegDuration * time.Duration(i) / time.Duration(len(streams))
			outcomes[i] = r.stream(ctx, s, segs[i*c.segments():(i+1)*c.segments()], begin.Add(offset))
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return lv, ctx.Err()
	}
	var rtts []time.Duration
	for i, os := range outcomes {
		for _, out := range os {
			if code := Classify(out.Err); ProberSide(code) {
				return lv, fmt.Errorf("capacity test of %s: stream %s segment %d: %w", r.o.Address, streams[i].name, out.Seq, out.Err)
			}
			if out.RoundTrip > 0 {
				rtts = append(rtts, out.RoundTrip)
			}
			if code := Classify(out.Err); code == CodeOrchestratorCapped || code == CodeOrchestratorBusy {
				streams[i].refused = true
			}
			r.count(&lv, out, 1)
		}
	}
	r.streams = slices.DeleteFunc(r.streams, func(s *capStream) bool {
		if s.refused {
			_ = s.sess.Close()
		}
		return s.refused
	})
	lv.RoundTripP50, lv.RoundTripP95 = percentile(rtts, 0.5), percentile(rtts, 0.95)
	lv.LateShare = float64(lv.Late) / float64(lv.Segments)
	switch {
	case lv.Capped > 0:
		lv.Verdict = StoppedCapped
	case lv.Failed > 0:
		lv.Verdict = StoppedFailed
	case lv.LateShare > c.lateShare():
		lv.Verdict = StoppedBehind
	}
	r.log.Info("capacity level done", "streams", n, "verified", lv.Verified, "late", lv.Late, "capped", lv.Capped, "failed", lv.Failed,
		"rtt_p50", lv.RoundTripP50, "rtt_p95", lv.RoundTripP95, "verdict", lv.Verdict)
	return lv, nil
}

// segments takes n segments from the source; on an error it releases
// those taken.
func (r *ramp) segments(ctx context.Context, n int) ([]Segment, error) {
	segs := make([]Segment, 0, n)
	for range n {
		seg, err := r.c.Tester.Source.Next(ctx)
		if err != nil {
			for _, s := range segs {
				release(s.Ref)
			}
			return nil, Errorc(CodeSegmentSource, err)
		}
		segs = append(segs, seg)
	}
	return segs, nil
}

// stream sends segs on s in real time from start, each verified, and
// returns their outcomes; it releases every segment.
func (r *ramp) stream(ctx context.Context, s *capStream, segs []Segment, start time.Time) []Outcome {
	t := r.c.Tester
	outs := make([]Outcome, len(segs))
	var wg sync.WaitGroup
	for i, seg := range segs {
		seg.Seq = s.seq
		s.seq++
		due := start.Add(time.Duration(i) * seg.Duration)
		if err := t.Sleep(ctx, due.Sub(t.Now())); err != nil {
			for _, rest := range segs[i:] {
				release(rest.Ref)
			}
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer release(seg.Ref)
			outs[i] = t.segment(ctx, s.sess, seg, r.log.With("stream", s.name))
		}()
	}
	wg.Wait()
	return outs
}

// count adds k segments of outcome out to lv.
func (r *ramp) count(lv *CapacityLevel, out Outcome, k int) {
	t := r.c.Tester
	switch code := Classify(out.Err); {
	case out.Succeeded(len(t.Profiles)):
		lv.Verified += k
		if float64(out.RoundTrip) > r.c.lateAfter()*float64(t.SegDuration) {
			lv.Late += k
		}
	case code == CodeOrchestratorCapped || code == CodeOrchestratorBusy:
		lv.Capped += k
	case code == CodeTimeout:
		lv.Late += k
		lv.Errors[code] += k
	default:
		if code == "" {
			code = CodeUnknown
		}
		lv.Failed += k
		lv.Errors[code] += k
	}
}

// percentile returns the q-quantile of ds (nearest rank), 0 for none.
func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}
