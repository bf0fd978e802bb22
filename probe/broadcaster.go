package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
)

// Broadcaster reaches orchestrators through a go-livepeer style broadcaster:
// it pushes each segment to `/live/<manifest>/<seq>.ts` with `Accept:
// multipart/mixed` and reads the renditions from the multipart reply. The
// broadcaster discovers orchestrators from Webhook, which the transport pins
// to the one under test for the length of a test; so tests through one
// broadcaster run one at a time.
type Broadcaster struct {
	URL     string // the broadcaster's HTTP ingest, e.g. http://127.0.0.1:8935
	Webhook *Webhook
	Client  *http.Client
	// Identify, when set, asks the orchestrator for its OrchestratorInfo
	// before each test and binds it to the registry address (BindIdentity),
	// so that a made-up entry pointing at someone else's node fails with
	// IdentityMismatch here too. The broadcaster's replies carry no result
	// signature for the prober to check; that stays the broadcaster's job.
	Identify *lpnet.Client
}

// Open pins the webhook to o and returns a session pushing to a fresh
// manifest. Waiting for another test to release the broadcaster is the
// prober's own queue, bounded only by ctx, never an orchestrator's timeout.
func (b *Broadcaster) Open(ctx context.Context, o podium.Orchestrator, opts SessionOptions) (Session, error) {
	if o.ServiceURI == "" {
		return nil, Errorc(CodeUnreachable, fmt.Errorf("orchestrator %s has no service URI", o.Address))
	}
	base, err := url.Parse(b.URL)
	if err != nil || base.Host == "" {
		return nil, podium.FieldError("broadcaster", "bad URL %q", b.URL).WithHint("pass --broadcaster http://HOST:PORT")
	}
	var id Identity
	if b.Identify != nil && !opts.AnyIdentity {
		if id, err = b.identify(ctx, o, opts); err != nil {
			return nil, err
		}
	}
	unpin, err := b.Webhook.Pin(ctx, o.ServiceURI)
	if err != nil {
		return nil, err
	}
	config, _ := json.Marshal(map[string]any{"manifestID": opts.ManifestID, "presets": opts.Profiles})
	return &broadcasterSession{b: b, base: base, opts: opts, config: string(config), unpin: unpin, id: id}, nil
}

// identify binds o's node to its registry address with one GetOrchestrator.
func (b *Broadcaster) identify(ctx context.Context, o podium.Orchestrator, opts SessionOptions) (Identity, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = MinSegmentTimeout
	}
	gctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	info, err := b.Identify.GetOrchestrator(gctx, o.ServiceURI)
	if err != nil {
		if ctx.Err() != nil {
			return Identity{}, ctx.Err()
		}
		return Identity{}, directError(err)
	}
	return BindIdentity(o.Address, info)
}

type broadcasterSession struct {
	b      *Broadcaster
	id     Identity
	base   *url.URL
	opts   SessionOptions
	config string
	unpin  func()
	once   sync.Once
}

// Identity returns how the orchestrator bound itself to its registry
// address; zero when the transport does not check (no Identify).
func (s *broadcasterSession) Identity() Identity { return s.id }

func (s *broadcasterSession) Close() error {
	s.once.Do(s.unpin)
	return nil
}

func (s *broadcasterSession) client() *http.Client {
	if s.b.Client != nil {
		return s.b.Client
	}
	return http.DefaultClient
}

// Send pushes one segment and reads its renditions.
func (s *broadcasterSession) Send(ctx context.Context, seg Segment) (Reply, error) {
	u := s.base.JoinPath("live", s.opts.ManifestID, strconv.Itoa(seg.Seq)+".ts")
	var wrote, firstByte time.Time
	trace := &httptrace.ClientTrace{
		WroteRequest:         func(httptrace.WroteRequestInfo) { wrote = time.Now() },
		GotFirstResponseByte: func() { firstByte = time.Now() },
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, u.String(), bytes.NewReader(seg.Data))
	if err != nil {
		return Reply{}, fmt.Errorf("push segment %d: %w", seg.Seq, err)
	}
	req.Header.Set("Accept", "multipart/mixed")
	req.Header.Set("Content-Type", "video/mp2t")
	req.Header.Set("Content-Duration", strconv.FormatInt(seg.Duration.Milliseconds(), 10))
	req.Header.Set("Livepeer-Transcode-Configuration", s.config)
	start := time.Now()
	resp, err := s.client().Do(req)
	if err != nil {
		return Reply{}, fmt.Errorf("push segment %d: %w", seg.Seq, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return Reply{}, pushError(resp.StatusCode, strings.TrimSpace(string(body)))
	}
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		return Reply{}, Errorc(CodeUnknownResponse, fmt.Errorf("push segment %d: content type %q, want multipart/mixed", seg.Seq, resp.Header.Get("Content-Type")))
	}
	var reply Reply
	mr := multipart.NewReader(resp.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Reply{}, Errorc(CodeReadBody, fmt.Errorf("push segment %d: %w", seg.Seq, err))
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return Reply{}, Errorc(CodeReadBody, fmt.Errorf("push segment %d: %w", seg.Seq, err))
		}
		if strings.HasPrefix(part.Header.Get("Content-Type"), "application/vnd+livepeer.uri") {
			// The broadcaster kept the rendition elsewhere and sent its URL.
			if data, err = s.fetch(ctx, string(data)); err != nil {
				return Reply{}, err
			}
		}
		reply.Renditions = append(reply.Renditions, Rendition{Profile: part.Header.Get("Rendition-Name"), Data: data})
	}
	end := time.Now()
	if wrote.IsZero() {
		wrote = start
	}
	if firstByte.IsZero() || firstByte.Before(wrote) {
		firstByte = wrote
	}
	reply.Upload, reply.Transcode, reply.Download = wrote.Sub(start), firstByte.Sub(wrote), end.Sub(firstByte)
	s.opts.Logger.Debug("pushed", "seq", seg.Seq, "renditions", len(reply.Renditions), "url", u.String())
	return reply, nil
}

func (s *broadcasterSession) fetch(ctx context.Context, uri string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSpace(uri), nil)
	if err != nil {
		return nil, Errorc(CodeDownload, err)
	}
	resp, err := s.client().Do(req)
	if err != nil {
		return nil, Errorc(CodeDownload, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, Errorc(CodeDownload, fmt.Errorf("GET %s: status %d", uri, resp.StatusCode))
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, Errorc(CodeDownload, err)
	}
	return b, nil
}

// pushError classifies a broadcaster's refusal. go-livepeer answers 503 "No
// sessions available" when it found no orchestrator to use, and passes the
// orchestrator's error text (or its own deadline's) on otherwise.
func pushError(status int, body string) error {
	err := fmt.Errorf("broadcaster: status %d: %s", status, body)
	switch code := Classify(err); {
	case code == CodeOrchestratorCapped || code == CodeOrchestratorBusy:
		return Errorc(code, err)
	case strings.Contains(body, "deadline exceeded"):
		return Errorc(CodeTimeout, err)
	case strings.Contains(body, "dial tcp") || strings.Contains(body, "connection refused"):
		return Errorc(CodeUnreachable, err)
	case status == http.StatusServiceUnavailable:
		return Errorc(CodeNoOrchestrators, err)
	default:
		return Errorc(CodeTranscode, err)
	}
}
