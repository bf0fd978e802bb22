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
	"strconv"
	"strings"
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
}

// Serve serves plain HTTP on ln until ctx is done.
func (b *Broadcaster) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
		return nil
	}
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
// takes it. Orchestrators that refuse the session (discovery or upload
// errors) are skipped; a transcode or download failure ends the attempt.
func (b *Broadcaster) transcode(ctx context.Context, seg lpnet.Segment, log *slog.Logger) (*lpnet.Result, error) {
	addrs, err := b.discover(ctx)
	if err != nil {
		log.Info("discovery failed", "err", err)
		return nil, errNoSessions
	}
	for _, a := range addrs {
		info, err := b.Client.GetOrchestrator(ctx, a)
		if err != nil {
			log.Info("orchestrator unusable", "orchestrator", a, "err", err)
			continue
		}
		res, err := b.Client.Transcode(ctx, info, seg)
		var le *lpnet.Error
		if errors.As(err, &le) && le.Op == "upload" {
			log.Info("orchestrator refused segment", "orchestrator", a, "err", err)
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
