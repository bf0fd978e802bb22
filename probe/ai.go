package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
)

// DefaultAITimeout bounds one AI request, answer and downloads included.
// Livepeer's AI gateways wait minutes for a cold model; a test that waits
// longer than this counts as a Timeout.
const DefaultAITimeout = 90 * time.Second

// MaxAIModels bounds the models one test tries, in AIModels' order
// (pipeline, then model), so that an orchestrator advertising thousands
// cannot hold the prober for hours.
const MaxAIModels = 16

// MaxResponsePayload bounds the answer kept in an AI record; inline images
// are shortened to their length first.
const MaxResponsePayload = 4096

// MaxInputParameters bounds the request's parameters kept in an AI record.
const MaxInputParameters = 16 << 10

// MaxModelID bounds an advertised model id the tester tests: a longer one
// is skipped, since its record could not be stored or read.
const MaxModelID = 256

// AIStats is the outcome of one AI test of one pipeline and model of one
// orchestrator, in the fields of Livepeer's leaderboard AI record
// (leaderboard-serverless models/stats.go): success 1 or 0, the round trip
// in seconds, the model's warmth as advertised when the test began, the
// request's parameters and the answer (both JSON text). TestID and
// HTTPStatus are podium's own.
type AIStats struct {
	Region          string              `json:"region"`
	Orchestrator    string              `json:"orchestrator"`
	Timestamp       int64               `json:"timestamp"`
	Pipeline        string              `json:"pipeline"`
	Model           string              `json:"model"`
	ModelIsWarm     bool                `json:"model_is_warm"`
	InputParameters string              `json:"input_parameters"`
	ResponsePayload string              `json:"response_payload"`
	SuccessRate     float64             `json:"success_rate"`
	RoundTripTime   float64             `json:"round_trip_time"`
	Errors          []podium.StatsError `json:"errors"`
	TestID          string              `json:"test_id,omitempty"`
	// HTTPStatus is the orchestrator's status when it refused or failed
	// the request; 0 when it answered 200 or never answered.
	HTTPStatus int `json:"http_status,omitempty"`
	// Cost is what a paying prober's request paid in tickets when it was
	// answered 200 (nil when the prober does not pay, or a gateway does),
	// as a transcoding record's; Paid is the same, for the prober's totals.
	Cost *podium.StatsCost `json:"cost,omitempty"`
	Paid lpnet.Cost        `json:"-"`
}

// AITester tests the AI pipelines of orchestrators straight over the
// Livepeer protocol, as a go-livepeer gateway sends AI jobs: a
// GetOrchestrator for the list of models, then for each pipeline and model
// the answer advertises, and that the tester has an input and a check
// for, a GetOrchestrator asking for that model (its price and session)
// and one real request with the session's credentials, its output fetched
// and checked.
type AITester struct {
	Client *lpnet.Client
	Region string
	// Timeout bounds each request; DefaultAITimeout when 0.
	Timeout time.Duration
	// ByURL asks for images by URL, as today's gateways do, instead of
	// inline data URLs.
	ByURL bool
	// Gateway, when set, is a go-livepeer gateway that the requests go
	// to instead ({Gateway}/{pipeline}, no credentials: the gateway pays),
	// as Livepeer's AI job tester sends them; Webhook, its orchestrator
	// webhook, is pinned to the orchestrator under test for the test. The
	// pipelines and models are still read from the orchestrator's own
	// GetOrchestrator answer.
	Gateway string
	Webhook *Webhook
	// Rand draws the inputs, so that no answer can be cached; seeded in
	// tests so a run replays. Nil uses math/rand/v2's own source.
	Rand *rand.Rand
	// Gap is the pause between two requests of one test, so that the
	// models of one orchestrator, which often share a GPU, are not hit
	// back to back.
	Gap time.Duration
	// Pipelines, when set, are the only pipelines tested (--ai-pipelines).
	Pipelines []string
	Now       func() time.Time

	mu sync.Mutex // guards Rand: tests of several orchestrators run at once
}

// draw returns the next random number for inputs and test ids.
func (t *AITester) draw() uint64 {
	if t.Rand == nil {
		return rand.Uint64()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.Rand.Uint64()
}

// Test runs one AI test per pipeline and model o advertises. It fails as a
// whole, with no records, only when the orchestrator cannot be asked what
// it serves or is not the registry's; the error is then classified like a
// transcoding test's. When ctx ends it returns the records so far and
// ctx's error.
func (t *AITester) Test(ctx context.Context, o podium.Orchestrator) ([]AIStats, error) {
	now := t.Now
	if now == nil {
		now = time.Now
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = DefaultAITimeout
	}
	if o.ServiceURI == "" {
		return nil, Errorc(CodeUnreachable, fmt.Errorf("orchestrator %s has no service URI", o.Address))
	}
	gctx, cancel := context.WithTimeout(ctx, timeout)
	info, err := t.Client.GetOrchestrator(gctx, o.ServiceURI)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, directError(err)
	}
	if o.Address != "" {
		if _, err := BindIdentity(o.Address, info); err != nil {
			return nil, err
		}
	}
	if t.Gateway != "" && t.Webhook != nil {
		unpin, err := t.Webhook.Pin(ctx, o.ServiceURI)
		if err != nil {
			return nil, err
		}
		defer unpin()
	}
	var out []AIStats
	for _, m := range lpnet.AIModels(info.GetCapabilities()) {
		in, ok := aiInputs[m.Pipeline]
		if !ok || !t.wants(m) {
			continue // no input or check for this pipeline, or not asked for
		}
		if len(out) == MaxAIModels {
			break
		}
		if len(out) > 0 && t.Gap > 0 {
			select {
			case <-time.After(t.Gap):
			case <-ctx.Done():
				return out, ctx.Err()
			}
		}
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		rctx, cancel := context.WithTimeout(ctx, timeout)
		s := t.one(rctx, o, m, in)
		cancel()
		if ctx.Err() != nil {
			// Cut short by the caller (the cycle's time is up), not by the
			// request's own timeout: the orchestrator is not to blame.
			return out, ctx.Err()
		}
		s.Region, s.Orchestrator, s.Timestamp = t.Region, strings.ToLower(o.Address), now().Unix()
		// Unique per record: two models of a pipeline are tested in the
		// same second.
		s.TestID = fmt.Sprintf("%s-%s-%d-%s-%08x", t.Region, s.Orchestrator, s.Timestamp, m.Pipeline, uint32(t.draw()))
		out = append(out, s)
	}
	return out, nil
}

// wants reports whether model m is to be tested: its pipeline is among
// Pipelines (when set) and its id is short, printable text.
func (t *AITester) wants(m lpnet.AIModel) bool {
	if len(m.Model) > MaxModelID || strings.IndexFunc(m.Model, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return false
	}
	return len(t.Pipelines) == 0 || slices.Contains(t.Pipelines, m.Pipeline)
}

// one sends one request for model m of o and checks its answer. Straight
// to the orchestrator, it first asks for a session for that pipeline and
// model, whose price and ticket parameters are the model's.
func (t *AITester) one(ctx context.Context, o podium.Orchestrator, m lpnet.AIModel, in aiInput) AIStats {
	s := AIStats{Pipeline: m.Pipeline, Model: m.Model, ModelIsWarm: m.Warm, Errors: []podium.StatsError{}}
	seed := int64(t.draw() >> 1)
	req, check, err := in(seed)
	if err != nil {
		return s.failed(Errorc(CodeSegmentSource, err))
	}
	req.Model = m.Model
	s.InputParameters = inputParameters(req)
	var info *lpnet.OrchestratorInfo
	if t.Gateway == "" {
		caps, err := lpnet.AIJobCapabilities(m.Pipeline, m.Model)
		if err == nil {
			info, err = t.Client.GetOrchestratorFor(ctx, o.ServiceURI, caps)
		}
		if err != nil {
			return s.failed(directError(err))
		}
	}
	start := time.Now()
	var res *lpnet.AIResponse
	if t.Gateway != "" {
		res, err = t.Client.AIGateway(ctx, t.Gateway, req)
	} else {
		res, err = t.Client.AI(ctx, info, req, t.ByURL)
	}
	if err != nil {
		var le *lpnet.Error
		if errors.As(err, &le) {
			s.HTTPStatus = le.Status
		}
		return s.failed(aiError(err))
	}
	s.ResponsePayload = responsePayload(res.Body)
	if t.Client.Payer != nil && t.Gateway == "" && res.Cost.EV != nil {
		s.Paid = res.Cost
		s.Cost = podium.NewStatsCost(res.Cost.Tickets, res.Cost.FaceValue, res.Cost.EV)
	}
	// The round trip is the request and the downloads of its outputs, not
	// the prober's check; it is kept for a wrong output too, which was
	// answered in that time.
	rtt := time.Since(start)
	fetch := func(ctx context.Context, u string) ([]byte, error) {
		t0 := time.Now()
		defer func() { rtt += time.Since(t0) }()
		return t.fetch(ctx, u)
	}
	err = check(ctx, res.Body, fetch)
	s.RoundTripTime = rtt.Seconds()
	if err != nil {
		return s.failed(err)
	}
	s.SuccessRate = 1
	return s
}

// fetch downloads an output the orchestrator answered by URL.
func (t *AITester) fetch(ctx context.Context, u string) ([]byte, error) {
	b, err := t.Client.Download(ctx, u)
	if err != nil {
		return nil, directError(err)
	}
	return b, nil
}

// failed records err as the test's one error.
func (s AIStats) failed(err error) AIStats {
	msg := err.Error()
	if len(msg) > podium.MaxMessageLen {
		msg = msg[:podium.MaxMessageLen]
	}
	s.SuccessRate = 0
	s.Errors = []podium.StatsError{{ErrorCode: Classify(err), Message: msg, Count: 1}}
	return s
}

// aiError classifies a failed AI request by the orchestrator's answer:
// 503 (no slot for the model) is OrchestratorBusy, 500 (the job failed)
// AIJobFailed, any other refusal AIRefused; a request that got no answer
// is Timeout or Unreachable.
func aiError(err error) error {
	var le *lpnet.Error
	if errors.As(err, &le) && le.Status != 0 {
		switch le.Status {
		case 503:
			return Errorc(CodeOrchestratorBusy, err)
		case 500:
			return Errorc(CodeAIJobFailed, err)
		}
		return Errorc(CodeAIRefused, err)
	}
	return directError(err)
}

// inputParameters is the request's fields as JSON, the uploaded file
// replaced by its length.
func inputParameters(req *lpnet.AIRequest) string {
	m := map[string]any{"model_id": req.Model}
	for k, v := range req.Params {
		m[k] = v
	}
	if req.File != nil {
		m["file_bytes"] = len(req.File)
	}
	b, _ := json.Marshal(m)
	return truncate(string(b), MaxInputParameters)
}

var dataURLRE = regexp.MustCompile(`data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+`)

// responsePayload is the answer as kept in the record: inline media
// replaced by their length, then cut to MaxResponsePayload.
func responsePayload(body []byte) string {
	s := dataURLRE.ReplaceAllStringFunc(string(body), func(u string) string {
		head, _, _ := strings.Cut(u, ",")
		return fmt.Sprintf("%s,(%d characters)", head, len(u)-len(head)-1)
	})
	return truncate(s, MaxResponsePayload)
}
