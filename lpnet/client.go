package lpnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Client is the sender's side of the protocol. Every call is bounded by the
// context it is given; the Client sets no timeouts of its own.
type Client struct {
	Signer *Signer
	// HTTP posts segments and fetches renditions; it must accept
	// self-signed certificates.
	HTTP *http.Client
	// MaxRenditionSize bounds each download.
	MaxRenditionSize int
	// Payer, when set, pays priced orchestrators with tickets; without
	// it a segment carries a payment with no tickets.
	Payer *Payer
	// Capabilities, when set, go with every OrchestratorRequest as what
	// the client's jobs need (JobCapabilities of its profiles), as a
	// go-livepeer broadcaster sends its stream's. Each segment carries its
	// own profiles' capabilities whatever this is.
	Capabilities *Capabilities
}

// NewClient returns a Client signing with s, accepting self-signed
// certificates and speaking HTTP/2 when the orchestrator does.
func NewClient(s *Signer) *Client {
	return &Client{
		Signer: s,
		HTTP: &http.Client{Transport: &http.Transport{
			TLSClientConfig:   insecureTLS(),
			ForceAttemptHTTP2: true,
			IdleConnTimeout:   time.Minute,
		}},
		MaxRenditionSize: DefaultMaxSegSize,
	}
}

// Need sets the capabilities sent with every OrchestratorRequest to what
// making profiles takes.
func (c *Client) Need(profiles []*VideoProfile) error {
	caps, err := JobCapabilities(profiles)
	if err != nil {
		return err
	}
	c.Capabilities = caps
	return nil
}

// GetOrchestrator asks the orchestrator at serviceURI (https://host:port)
// for its OrchestratorInfo with a signed OrchestratorRequest.
func (c *Client) GetOrchestrator(ctx context.Context, serviceURI string) (*OrchestratorInfo, error) {
	return c.GetOrchestratorFor(ctx, serviceURI, c.Capabilities)
}

// GetOrchestratorFor is GetOrchestrator for a job needing caps, sent
// instead of the Client's Capabilities: a go-livepeer orchestrator prices
// an AI job by the capability and model asked for, so an AI sender asks
// once per model (AIJobCapabilities), as a go-livepeer gateway does.
func (c *Client) GetOrchestratorFor(ctx context.Context, serviceURI string, caps *Capabilities) (*OrchestratorInfo, error) {
	u, err := url.Parse(serviceURI)
	if err != nil || u.Host == "" {
		return nil, &Error{Code: CodeDiscovery, Op: "GetOrchestrator", Err: fmt.Errorf("service URI %q: want https://host:port", serviceURI)}
	}
	creds := credentials.NewTLS(insecureTLS())
	if u.Scheme == "http" {
		creds = insecure.NewCredentials()
	}
	conn, err := grpc.NewClient(u.Host, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, newError("GetOrchestrator", CodeDiscovery, 0, err)
	}
	defer conn.Close()
	req, err := c.Signer.OrchestratorRequest()
	if err != nil {
		return nil, newError("GetOrchestrator", CodeDiscovery, 0, err)
	}
	req.Capabilities = caps
	info, err := NewOrchestratorClient(conn).GetOrchestrator(ctx, req)
	if err != nil {
		if st, ok := status.FromError(err); ok {
			err = fmt.Errorf("%s: %s", st.Code(), st.Message())
		}
		return nil, newError("GetOrchestrator", CodeDiscovery, 0, err)
	}
	if info.GetTranscoder() == "" {
		return nil, &Error{Code: CodeDiscovery, Op: "GetOrchestrator", Err: errors.New("orchestrator gave no transcoder URI")}
	}
	return info, nil
}

// Segment is one segment to transcode.
type Segment struct {
	ManifestID string
	Seq        int64
	Data       []byte
	Duration   time.Duration
	Profiles   []*VideoProfile
}

// Rendition is one transcoded output. Err is set when it could not be
// downloaded; Data is then empty.
type Rendition struct {
	Profile *VideoProfile
	URL     string
	Pixels  int64
	Data    []byte
	Err     error
}

// Result is a transcoded segment with the time spent in each phase: upload
// (request start to the orchestrator's 200, which it sends once the body is
// read), transcode (from then to the end of the TranscodeResult) and
// download (all renditions, fetched in parallel).
type Result struct {
	Seq        int64
	Renditions []Rendition
	// Info is the OrchestratorInfo the orchestrator sent back.
	Info *OrchestratorInfo
	// Sig is the orchestrator's signature over the hashes of its renditions.
	Sig                         []byte
	Upload, Transcode, Download time.Duration
	// Cost is what the segment's payment cost.
	Cost Cost
}

// RoundTrip is the time from the start of the upload to the last byte of
// the last rendition.
func (r *Result) RoundTrip() time.Duration { return r.Upload + r.Transcode + r.Download }

// Transcode sends seg to the orchestrator described by info and downloads
// the renditions. The orchestrator may return fewer renditions than
// profiles; they are matched to the profiles in order, as on the wire.
func (c *Client) Transcode(ctx context.Context, info *OrchestratorInfo, seg Segment) (*Result, error) {
	res, err := c.Submit(ctx, info, seg)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := range res.Renditions {
		wg.Add(1)
		go func(r *Rendition) {
			defer wg.Done()
			r.Data, r.Err = c.Download(ctx, r.URL)
		}(&res.Renditions[i])
	}
	wg.Wait()
	res.Download = time.Since(start)
	return res, nil
}

// Submit posts seg to {transcoder}/segment and reads the TranscodeResult,
// without downloading the renditions.
func (c *Client) Submit(ctx context.Context, info *OrchestratorInfo, seg Segment) (*Result, error) {
	sd, err := NewSegData(c.Signer, seg.ManifestID, seg.Seq, seg.Data, seg.Duration, seg.Profiles, info.GetAuthToken())
	if err != nil {
		return nil, &Error{Code: CodeUpload, Op: "upload", Err: err}
	}
	segHeader, err := EncodeHeader(sd)
	if err != nil {
		return nil, &Error{Code: CodeUpload, Op: "upload", Err: err}
	}
	pay, err := c.payment(info, seg)
	if err != nil {
		return nil, err
	}
	payHeader, err := EncodeHeader(pay.wire)
	if err != nil {
		pay.unsent()
		return nil, &Error{Code: CodeUpload, Op: "upload", Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(info.GetTranscoder(), "/")+"/segment", bytes.NewReader(seg.Data))
	if err != nil {
		pay.unsent()
		return nil, &Error{Code: CodeUpload, Op: "upload", Err: err}
	}
	req.Header.Set(SegmentHeader, segHeader)
	req.Header.Set(PaymentHeader, payHeader)
	req.Header.Set("Content-Type", "video/MP2T")
	req.Header.Set("Content-Duration", strconv.FormatInt(seg.Duration.Milliseconds(), 10))

	start := time.Now()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		pay.unsent()
		return nil, newError("upload", CodeUpload, 0, err)
	}
	defer resp.Body.Close()
	// From here the payment went out: its credit is spent unless work
	// comes back (go-livepeer's broadcaster counts it so).
	pay.sent()
	upload := time.Since(start)
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, newError("upload", CodeUpload, resp.StatusCode, errors.New(strings.TrimSpace(string(body))))
	}
	body, err := readAtMost(resp.Body, 1<<20)
	if err != nil {
		return nil, newError("transcode", CodeTranscode, 0, fmt.Errorf("read transcode result: %w", err))
	}
	transcode := time.Since(start) - upload
	res, err := parseTranscodeResult(body, seg.Profiles)
	if err != nil {
		return nil, err
	}
	res.Upload, res.Transcode, res.Cost = upload, transcode, pay.cost
	var pixels int64
	for _, r := range res.Renditions {
		pixels += r.Pixels
	}
	pay.settled(pixels)
	if c.Payer != nil {
		c.Payer.update(res.Info)
	}
	return res, nil
}

// payment is the payment of seg to info's orchestrator: tickets from the
// Payer, or a sender and expected price alone without one.
func (c *Client) payment(info *OrchestratorInfo, seg Segment) (*payment, error) {
	if c.Payer == nil {
		return &payment{wire: &Payment{Sender: c.Signer.Address().Bytes(), ExpectedPrice: info.GetPriceInfo()}, cost: Cost{EV: new(big.Rat)}}, nil
	}
	return c.Payer.pay(info, estimatePixels(seg.Profiles, seg.Duration.Seconds()))
}

// parseTranscodeResult decodes an orchestrator's answer to a segment: the
// renditions of profiles, in order, or the orchestrator's error.
func parseTranscodeResult(body []byte, profiles []*VideoProfile) (*Result, error) {
	var tr TranscodeResult
	if err := proto.Unmarshal(body, &tr); err != nil {
		return nil, newError("transcode", CodeTranscode, 0, fmt.Errorf("decode transcode result: %w", err))
	}
	var data *TranscodeData
	switch r := tr.Result.(type) {
	case *TranscodeResult_Error:
		return nil, newError("transcode", CodeTranscode, 0, errors.New(r.Error))
	case *TranscodeResult_Data:
		data = r.Data
	default:
		return nil, newError("transcode", CodeTranscode, 0, errors.New("UnknownResponse"))
	}
	if n := len(data.GetSegments()); n > len(profiles) {
		// Each rendition is downloaded at once: an orchestrator must not
		// make the client open thousands of downloads.
		return nil, newError("transcode", CodeTranscode, 0, fmt.Errorf("%d renditions for %d profiles asked", n, len(profiles)))
	}
	res := &Result{Seq: tr.GetSeq(), Info: tr.GetInfo(), Sig: data.GetSig()}
	for i, s := range data.GetSegments() {
		res.Renditions = append(res.Renditions, Rendition{URL: s.GetUrl(), Pixels: s.GetPixels(), Profile: profiles[i]})
	}
	return res, nil
}

// Download fetches one rendition.
func (c *Client) Download(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &Error{Code: CodeDownload, Op: "download", Err: err}
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, newError("download", CodeDownload, 0, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, newError("download", CodeDownload, resp.StatusCode, fmt.Errorf("GET %s: %s", u, resp.Status))
	}
	b, err := readAtMost(resp.Body, c.MaxRenditionSize)
	if err != nil {
		return nil, newError("download", CodeDownload, 0, fmt.Errorf("GET %s: %w", u, err))
	}
	return b, nil
}
