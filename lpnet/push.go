package lpnet

import (
	"bytes"
	"context"
	"errors"
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
)

// Part is one rendition in a broadcaster's multipart/mixed answer.
type Part struct {
	// Name is the Rendition-Name header: the profile's name.
	Name string
	// ContentType is the part's media type without parameters.
	ContentType string
	Data        []byte
}

// MaxParts bounds the parts ReadMultipart takes: a ladder has a handful of
// renditions, and an endless body of small parts must not grow without end.
const MaxParts = 64

// ReadMultipart reads a multipart/mixed body as go-livepeer's broadcaster
// writes it, one part per rendition. contentType is the response's
// Content-Type; each part is at most maxPart bytes, and there are at most
// MaxParts.
func ReadMultipart(body io.Reader, contentType string, maxPart int) ([]Part, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, fmt.Errorf("multipart: content type %q: %w", contentType, err)
	}
	if mt != "multipart/mixed" || params["boundary"] == "" {
		return nil, fmt.Errorf("multipart: content type %q, want multipart/mixed with a boundary", contentType)
	}
	end := &delimWatcher{r: body, delim: []byte("--" + params["boundary"] + "--")}
	mr := multipart.NewReader(end, params["boundary"])
	var parts []Part
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) && end.seen {
			return parts, nil
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF // the body ended before the closing delimiter
		}
		if err != nil {
			return nil, fmt.Errorf("multipart: part %d: %w", len(parts)+1, err)
		}
		if len(parts) == MaxParts {
			return nil, fmt.Errorf("multipart: more than %d parts", MaxParts)
		}
		data, err := readAtMost(p, maxPart)
		if err != nil {
			return nil, fmt.Errorf("multipart: part %d: %w", len(parts)+1, err)
		}
		typ, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		parts = append(parts, Part{Name: p.Header.Get("Rendition-Name"), ContentType: typ, Data: data})
	}
}

// delimWatcher notes whether the closing delimiter of a multipart body
// went through it: the multipart reader reports a body cut short between
// parts as a plain end of input.
type delimWatcher struct {
	r     io.Reader
	delim []byte
	tail  []byte
	seen  bool
}

// Read implements io.Reader.
func (d *delimWatcher) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if n > 0 && !d.seen {
		d.tail = append(d.tail, p[:n]...)
		d.seen = bytes.Contains(d.tail, d.delim)
		if keep := len(d.delim) - 1; len(d.tail) > keep {
			d.tail = append(d.tail[:0], d.tail[len(d.tail)-keep:]...)
		}
	}
	return n, err
}

// Pusher sends segments to a go-livepeer style broadcaster over HTTP push
// (PUT /live/<manifest>/<seq>.ts) and reads the renditions from its
// multipart/mixed answer.
type Pusher struct {
	HTTP    *http.Client
	MaxPart int
}

// NewPusher returns a Pusher with its own HTTP client.
func NewPusher() *Pusher {
	return &Pusher{HTTP: &http.Client{Transport: &http.Transport{TLSClientConfig: insecureTLS()}}, MaxPart: DefaultMaxSegSize}
}

// PushResult is a segment transcoded through a broadcaster. Upload ends
// when the request body is written, Transcode when the answer's headers
// arrive (the broadcaster answers once its orchestrator is done), Download
// when the last part is read.
type PushResult struct {
	Parts                       []Part
	Upload, Transcode, Download time.Duration
}

// Push sends seg to the broadcaster at base (http://host:port).
func (p *Pusher) Push(ctx context.Context, base string, seg Segment) (*PushResult, error) {
	u := fmt.Sprintf("%s/live/%s/%d.ts", strings.TrimSuffix(base, "/"), url.PathEscape(seg.ManifestID), seg.Seq)
	var mu sync.Mutex
	var wrote time.Time
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
		mu.Lock()
		wrote = time.Now()
		mu.Unlock()
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPut, u, bytes.NewReader(seg.Data))
	if err != nil {
		return nil, &Error{Code: CodeUpload, Op: "upload", Err: err}
	}
	req.Header.Set("Accept", "multipart/mixed")
	req.Header.Set("Content-Type", "video/mp2t")
	req.Header.Set("Content-Duration", strconv.FormatInt(seg.Duration.Milliseconds(), 10))
	start := time.Now()
	resp, err := p.HTTP.Do(req)
	if err != nil {
		return nil, newError("upload", CodeUpload, 0, err)
	}
	defer resp.Body.Close()
	headers := time.Now()
	mu.Lock()
	upload := wrote.Sub(start)
	mu.Unlock()
	if upload <= 0 || upload > headers.Sub(start) {
		upload = headers.Sub(start)
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		code := CodeTranscode
		if resp.StatusCode == http.StatusServiceUnavailable {
			code = CodeDiscovery
		}
		return nil, newError("transcode", code, resp.StatusCode, errors.New(strings.TrimSpace(string(body))))
	}
	parts, err := ReadMultipart(resp.Body, resp.Header.Get("Content-Type"), p.MaxPart)
	if err != nil {
		return nil, newError("download", CodeDownload, 0, err)
	}
	return &PushResult{
		Parts:     parts,
		Upload:    upload,
		Transcode: headers.Sub(start) - upload,
		Download:  time.Since(headers),
	}, nil
}
