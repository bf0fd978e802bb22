package probe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/syncbuf"
	"github.com/podiumhq/podium/lpnet"
)

// MinSegmentTimeout is the floor of the per-segment timeout (docs/design.md §6.1):
// a segment gets max(MinSegmentTimeout, 4 × its duration).
const MinSegmentTimeout = 8 * time.Second

// SegmentTimeout returns the time a segment of duration d is given to come
// back transcoded: max(8 s, 4 × d).
func SegmentTimeout(d time.Duration) time.Duration {
	return max(MinSegmentTimeout, 4*d)
}

// Tester runs tests: N segments paced in real time to one orchestrator, each
// rendition verified.
type Tester struct {
	Region   string
	Segments int // segments per test
	// SegDuration is the duration of the source's segments, reported as
	// seg_duration by tests that got no segment out (the leaderboard
	// averages seg_duration over every test, failed ones included).
	SegDuration time.Duration
	Profiles    []string // renditions asked for
	Source      SegmentSource
	Verifier    Verifier
	// Timeout, when positive, replaces SegmentTimeout (--segment-timeout).
	Timeout time.Duration
	// AnyIdentity tests targets whose address the prober does not know
	// (its canary); see SessionOptions.AnyIdentity.
	AnyIdentity bool

	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Nonce returns the random part of a test ID (crypto/rand when nil).
	Nonce func() string
}

// Result is one test: its stats record, each segment's outcome and the log
// lines the test wrote, kept with it as blackbox_exporter keeps a probe's.
type Result struct {
	Target podium.Orchestrator
	// Transport names the transport the test used.
	Transport string
	Stats     podium.Stats
	Outcomes  []Outcome
	// Identity is how the orchestrator bound itself to Target's address,
	// when the transport could tell (direct); zero otherwise.
	Identity Identity
	Log      string
	// Cost is what the test paid the orchestrator (zero when unpaid).
	Cost lpnet.Cost

	info TestInfo
}

// Test tests o over the transport tr and returns the result. A failure of
// the orchestrator is a result, never an error; the error is for a test
// that could not run at all (ctx cancelled).
func (t *Tester) Test(ctx context.Context, tr Transport, o podium.Orchestrator) (Result, error) {
	var logbuf syncBuffer
	log := slog.New(slog.NewTextHandler(&logbuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	start := t.Now()
	info := TestInfo{
		ID:           t.testID(o, start),
		Region:       t.Region,
		Orchestrator: strings.ToLower(o.Address),
		Start:        start,
		SegDuration:  t.SegDuration,
		Profiles:     len(t.Profiles),
	}
	log.Info("test start", "test_id", info.ID, "orchestrator", info.Orchestrator, "uri", o.ServiceURI, "segments", t.Segments)

	outcomes := make([]Outcome, t.Segments)
	// Open first: an orchestrator that refuses the session uses up no
	// test segments.
	sess, err := tr.Open(ctx, o, SessionOptions{ManifestID: info.ID, Profiles: t.Profiles, Logger: log, Timeout: t.timeout(t.SegDuration), AnyIdentity: t.AnyIdentity})
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		log.Warn("open session", "err", err, "code", Classify(err))
		return t.finish(info, o, failAll(outcomes, err), &logbuf, log), nil
	}
	defer sess.Close()
	var id Identity
	if s, ok := sess.(Identified); ok {
		id = s.Identity()
	}

	segs := make([]Segment, t.Segments)
	defer func() {
		for _, seg := range segs {
			release(seg.Ref)
		}
	}()
	for i := range segs {
		seg, err := t.Source.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return Result{}, ctx.Err()
			}
			return t.finish(info, o, failAll(outcomes, Errorc(CodeSegmentSource, err)), &logbuf, log), nil
		}
		seg.Seq = i
		segs[i] = seg
	}
	info.SegDuration = segs[0].Duration

	pace := t.Now()
	var wg sync.WaitGroup
	for i, seg := range segs {
		// Real-time pacing: segment i leaves at pace + i × duration.
		if err := t.Sleep(ctx, pace.Add(time.Duration(i)*seg.Duration).Sub(t.Now())); err != nil {
			wg.Wait()
			return Result{}, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcomes[i] = t.segment(ctx, sess, seg, log)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return Result{}, ctx.Err()
	}
	res := t.finish(info, o, outcomes, &logbuf, log)
	res.Identity = id
	if ps, ok := sess.(PaidSession); ok && ps.Cost().EV != nil {
		res.Cost = ps.Cost()
		res.Stats.Cost = podium.NewStatsCost(res.Cost.Tickets, res.Cost.FaceValue, res.Cost.EV)
		log.Info("test cost", "tickets", res.Cost.Tickets, "face_value_wei", res.Cost.FaceValue, "ev_wei", ratString(res.Cost.EV))
		res.Log = logbuf.String()
	}
	return res, nil
}

// ratString is x in wei, to three decimals; "0" for nil.
func ratString(x *big.Rat) string {
	if x == nil {
		return "0"
	}
	return x.FloatString(3)
}

// segment sends one segment and verifies what comes back.
func (t *Tester) segment(ctx context.Context, sess Session, seg Segment, log *slog.Logger) Outcome {
	out := Outcome{Seq: seg.Seq}
	sctx, cancel := context.WithTimeout(ctx, t.timeout(seg.Duration))
	defer cancel()
	began := t.Now()
	reply, err := sess.Send(sctx, seg)
	rtt := t.Now().Sub(began)
	if err != nil {
		out.Err = err
		log.Warn("segment failed", "seq", seg.Seq, "code", Classify(err), "err", err)
		return out
	}
	out.Upload, out.Transcode, out.Download, out.RoundTrip = reply.Upload, reply.Transcode, reply.Download, rtt
	got := map[string]Rendition{}
	for _, r := range reply.Renditions {
		got[r.Profile] = r
	}
	out.Received = len(reply.Renditions)
	var missing []string
	var judge []Rendition
	for _, p := range t.Profiles {
		if r, ok := got[p]; ok {
			judge = append(judge, r)
		} else {
			missing = append(missing, p)
		}
	}
	// Verification is the prober's own work: it is not bounded by the
	// orchestrator's segment timeout, only by the test's context.
	verdicts, err := t.Verifier.Verify(ctx, seg, judge)
	if err == nil && len(verdicts) != len(judge) {
		err = fmt.Errorf("verifier returned %d verdicts for %d renditions", len(verdicts), len(judge))
	}
	if err != nil {
		// The prober's own trouble: the result is withheld, not posted.
		out.Err = Errorc(CodeVerifier, err)
		log.Error("verifier failed", "seq", seg.Seq, "err", err)
		return out
	}
	for i, v := range verdicts {
		p := judge[i].Profile
		if v.OK {
			out.Verified++
			continue
		}
		reason := p + ": " + v.Reason
		if v.Detail != "" {
			reason += ": " + v.Detail
		}
		out.Failures = append(out.Failures, reason)
		log.Warn("rendition rejected", "seq", seg.Seq, "profile", p, "reason", v.Reason, "detail", v.Detail)
	}
	switch {
	case len(missing) > 0:
		out.Err = Errorc(CodeMissingRendition, fmt.Errorf("no rendition for %s", strings.Join(missing, ", ")))
		log.Warn("segment incomplete", "seq", seg.Seq, "missing", missing)
	case len(out.Failures) > 0:
		out.Err = Errorc(CodeVerificationFailed, fmt.Errorf("%d of %d renditions rejected", len(out.Failures), len(t.Profiles)))
	default:
		log.Info("segment ok", "seq", seg.Seq, "rtt", rtt, "upload", reply.Upload, "transcode", reply.Transcode, "download", reply.Download)
	}
	return out
}

func (t *Tester) finish(info TestInfo, o podium.Orchestrator, outcomes []Outcome, buf *syncBuffer, log *slog.Logger) Result {
	if err := identityFailure(outcomes); err != nil {
		log.Warn("identity not proven: the test earns nothing", "code", Classify(err), "err", err)
		disown(outcomes, err)
	}
	st := Compute(info, outcomes)
	log.Info("test done", "success_rate", st.SuccessRate, "round_trip_time", st.RoundTripTime,
		"verified", st.VerifiedRenditions, "verification_failures", st.VerificationFailures)
	return Result{Target: o, Stats: st, Outcomes: outcomes, Log: buf.String(), info: info}
}

func (t *Tester) timeout(d time.Duration) time.Duration {
	if t.Timeout > 0 {
		return t.Timeout
	}
	return SegmentTimeout(d)
}

// testID is unique per test: region, orchestrator, start time and a nonce.
func (t *Tester) testID(o podium.Orchestrator, start time.Time) string {
	nonce := ""
	if t.Nonce != nil {
		nonce = t.Nonce()
	} else {
		var b [6]byte
		_, _ = io.ReadFull(rand.Reader, b[:])
		nonce = hex.EncodeToString(b[:])
	}
	return fmt.Sprintf("%s-%s-%d-%s", t.Region, strings.ToLower(o.Address), start.Unix(), nonce)
}

func failAll(outcomes []Outcome, err error) []Outcome {
	for i := range outcomes {
		outcomes[i] = Outcome{Seq: i, Err: err}
	}
	return outcomes
}

// syncBuffer is a bytes.Buffer safe for concurrent writers and a reader.
type syncBuffer = syncbuf.Buffer
