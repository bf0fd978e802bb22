package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium/lpnet"
)

// Broadcaster is the broadcaster role: HTTP push ingest
// (PUT|POST /live/<manifest>/<seq>.ts), each segment sent to an orchestrator
// found through a discovery webhook, renditions answered as
// multipart/mixed, as a go-livepeer broadcaster does.
type Broadcaster struct {
	Client *lpnet.Client
	// Webhook answers GET with [{"address":"https://…"}, …]; it is asked
	// again for every segment, so whoever serves it can re-pin the
	// broadcaster at any time.
	Webhook string
	// Profiles are the renditions asked for by default.
	Profiles []*lpnet.VideoProfile
	// HTTP fetches the webhook.
	HTTP       *http.Client
	MaxSegSize int
	Logger     *slog.Logger
	// Now tells when a cached session's auth token runs out.
	Now func() time.Time

	mu       sync.Mutex
	sessions map[string]session // by manifest id
}

// session is the orchestrator a stream is using, kept across segments as
// go-livepeer's broadcaster keeps it, so that a stream is one session (one
// capacity slot) on its orchestrator and not one per segment.
type session struct {
	addr string
	info *lpnet.OrchestratorInfo
}

// Serve serves plain HTTP on ln until ctx is done.
func (b *Broadcaster) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	return lpnet.ServeUntil(ctx, srv, ln, func() error { return srv.Serve(ln) })
}

// transcodeConfig is the Livepeer-Transcode-Configuration header podium
// understands: stock profile names.
type transcodeConfig struct {
	Presets []string `json:"presets"`
}

// ServeHTTP handles push ingest. Errors use go-livepeer's statuses: 405 for
// another method, 400 for a bad URL, extension or configuration, 500 when
// the body is too large or the transcode fails, 422 when the body is not a
// media segment, 503 when no orchestrator is usable.
func (b *Broadcaster) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	log := b.logger().With("url", r.URL.Path, "remote", r.RemoteAddr)
	fail := func(status int, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		log.Info("push refused", "status", status, "reason", msg)
		http.Error(w, msg, status)
	}
	if !strings.HasPrefix(r.URL.Path, "/live/") {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		fail(http.StatusMethodNotAllowed, "http push request wrong method=%s url=%s host=%s", r.Method, r.URL, r.Host)
		return
	}
	profiles := b.Profiles
	if h := r.Header.Get("Livepeer-Transcode-Configuration"); h != "" {
		var cfg transcodeConfig
		if err := json.Unmarshal([]byte(h), &cfg); err != nil {
			fail(http.StatusBadRequest, "failed to parse transcode config header: %q", err.Error())
			return
		}
		if len(cfg.Presets) > 0 {
			ps, err := lpnet.LookupProfiles(cfg.Presets)
			if err != nil {
				fail(http.StatusBadRequest, "failed to parse transcode config header: %s", err)
				return
			}
			profiles = ps
		}
	}
	maxSize := b.MaxSegSize
	if maxSize == 0 {
		maxSize = lpnet.DefaultMaxSegSize
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(maxSize)+1))
	if err == nil && len(body) > maxSize {
		err = errors.New("input bigger than max buffer size")
	}
	if err != nil {
		fail(http.StatusInternalServerError, "Error reading http request body: %s", err)
		return
	}
	ext := path.Ext(r.URL.Path)
	if ext != ".ts" {
		fail(http.StatusBadRequest, "ignoring file extension: %s", ext)
		return
	}
	manifest, file := path.Split(strings.TrimPrefix(r.URL.Path, "/live/"))
	manifest = strings.Trim(manifest, "/")
	if manifest == "" || strings.Contains(manifest, "/") {
		fail(http.StatusBadRequest, "Bad URL url=%s", r.URL)
		return
	}
	codec, err := videoCodec(body)
	if err != nil {
		fail(http.StatusUnprocessableEntity, "Error getting codec info url=%s", r.URL)
		return
	}
	if codec == "unknown" {
		fail(http.StatusUnprocessableEntity, "Unknown input stream codec=%s", codec)
		return
	}
	seq, err := strconv.ParseInt(strings.TrimSuffix(file, ext), 10, 64)
	if err != nil {
		seq = 0
	}
	dur := 2 * time.Second
	if ms, err := strconv.Atoi(r.Header.Get("Content-Duration")); err == nil && ms > 0 {
		dur = time.Duration(ms) * time.Millisecond
	}
	seg := lpnet.Segment{ManifestID: manifest, Seq: seq, Data: body, Duration: dur, Profiles: profiles}

	ctx, cancel := context.WithTimeout(r.Context(), max(8*time.Second, 4*dur))
	defer cancel()
	res, err := b.transcode(ctx, seg, log)
	if errors.Is(err, errNoSessions) {
		fail(http.StatusServiceUnavailable, "No sessions available")
		return
	}
	if err != nil {
		fail(http.StatusInternalServerError, "http push error processing segment url=%s manifestID=%s err=%q", r.URL, manifest, err.Error())
		return
	}
	b.respond(w, r, res, seq)
}

var errNoSessions = errors.New("no orchestrator is usable")

// transcode sends seg to the first orchestrator of the webhook's list that
// takes it, reusing the stream's session when its orchestrator is still
// listed. Orchestrators that refuse the session (discovery or upload
// errors) are skipped; a transcode or download failure ends the attempt.
func (b *Broadcaster) transcode(ctx context.Context, seg lpnet.Segment, log *slog.Logger) (*lpnet.Result, error) {
	addrs, err := b.discover(ctx)
	if err != nil {
		log.Info("discovery failed", "err", err)
		b.forget(seg.ManifestID)
		return nil, errNoSessions
	}
	if cur, ok := b.session(seg.ManifestID); ok && slices.Contains(addrs, cur.addr) {
		// Try the stream's orchestrator first.
		addrs = append([]string{cur.addr}, slices.DeleteFunc(addrs, func(a string) bool { return a == cur.addr })...)
	}
	for _, a := range addrs {
		res, err := b.tryOrchestrator(ctx, a, seg, log)
		var le *lpnet.Error
		if errors.As(err, &le) && (le.Op == "upload" || le.Op == "GetOrchestrator") {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, r := range res.Renditions {
			if r.Err != nil {
				return nil, r.Err
			}
		}
		log.Info("segment transcoded", "orchestrator", a, "seq", seg.Seq, "renditions", len(res.Renditions))
		return res, nil
	}
	return nil, errNoSessions
}

// tryOrchestrator sends seg to the orchestrator at addr, on the stream's
// session with it when there is one; if that session is refused, once more
// on a fresh one.
func (b *Broadcaster) tryOrchestrator(ctx context.Context, addr string, seg lpnet.Segment, log *slog.Logger) (*lpnet.Result, error) {
	info, reused := b.sessionFor(seg.ManifestID, addr)
	for {
		if info == nil {
			var err error
			if info, err = b.Client.GetOrchestrator(ctx, addr); err != nil {
				log.Info("orchestrator unusable", "orchestrator", addr, "err", err)
				return nil, err
			}
		}
		res, err := b.Client.Transcode(ctx, info, seg)
		var le *lpnet.Error
		if errors.As(err, &le) && le.Op == "upload" {
			log.Info("orchestrator refused segment", "orchestrator", addr, "err", err, "reused_session", reused)
			b.forget(seg.ManifestID)
			if reused {
				info, reused = nil, false
				continue
			}
			return nil, err
		}
		if err != nil {
			b.forget(seg.ManifestID)
			return nil, err
		}
		if res.Info.GetAuthToken() != nil {
			info = res.Info // the orchestrator's latest terms, same session
		}
		b.remember(seg.ManifestID, session{addr: addr, info: info})
		return res, nil
	}
}

// session returns the stream's current session.
func (b *Broadcaster) session(manifest string) (session, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.sessions[manifest]
	return s, ok
}

// sessionFor returns the stream's session info when it is with addr and
// its auth token is good for another minute.
func (b *Broadcaster) sessionFor(manifest, addr string) (*lpnet.OrchestratorInfo, bool) {
	s, ok := b.session(manifest)
	if !ok || s.addr != addr {
		return nil, false
	}
	if expiring(s.info, b.now()) {
		return nil, false
	}
	return s.info, true
}

// expiring reports whether info's auth token has less than a minute left.
func expiring(info *lpnet.OrchestratorInfo, now time.Time) bool {
	return time.Unix(info.GetAuthToken().GetExpiration(), 0).Before(now.Add(time.Minute))
}

func (b *Broadcaster) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

func (b *Broadcaster) remember(manifest string, s session) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sessions == nil {
		b.sessions = make(map[string]session)
	}
	now := b.now()
	for k, v := range b.sessions {
		if expiring(v.info, now) {
			delete(b.sessions, k)
		}
	}
	b.sessions[manifest] = s
}

func (b *Broadcaster) forget(manifest string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.sessions, manifest)
}

// discover fetches the webhook's orchestrator list.
func (b *Broadcaster) discover(ctx context.Context) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.Webhook, nil)
	if err != nil {
		return nil, err
	}
	hc := b.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("webhook %s: %s", b.Webhook, resp.Status)
	}
	var list []struct {
		Address string `json:"address"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&list); err != nil {
		return nil, fmt.Errorf("webhook %s: want [{\"address\":\"https://…\"}]: %w", b.Webhook, err)
	}
	var addrs []string
	for _, o := range list {
		if o.Address != "" {
			addrs = append(addrs, o.Address)
		}
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("webhook %s lists no orchestrator", b.Webhook)
	}
	return addrs, nil
}

// respond answers 200, with one part per rendition when the client accepts
// multipart/mixed (go-livepeer's part headers: Content-Type with the file
// name, Content-Length, Content-Disposition, Rendition-Name).
func (b *Broadcaster) respond(w http.ResponseWriter, r *http.Request, res *lpnet.Result, seq int64) {
	if !strings.Contains(r.Header.Get("Accept"), "multipart/mixed") {
		w.WriteHeader(http.StatusOK)
		return
	}
	mw := multipart.NewWriter(w)
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	w.WriteHeader(http.StatusOK)
	for _, rd := range res.Renditions {
		name := lpnet.ProfileName(rd.Profile)
		fname := fmt.Sprintf("%q", fmt.Sprintf("%s_%d%s", name, seq, lpnet.Extension(rd.Profile)))
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":        {lpnet.MimeType(rd.Profile) + "; name=" + fname},
			"Content-Length":      {strconv.Itoa(len(rd.Data))},
			"Content-Disposition": {"attachment; filename=" + fname},
			"Rendition-Name":      {name},
		})
		if err != nil {
			return
		}
		if _, err := pw.Write(rd.Data); err != nil {
			return
		}
	}
	_ = mw.Close()
}

func (b *Broadcaster) logger() *slog.Logger {
	if b.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return b.Logger
}
