package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/podiumhq/podium"
)

// Client talks to a leaderboard API: podium's or leaderboard-serverless.
type Client struct {
	// URL is the base URL, e.g. "http://127.0.0.1:8088".
	URL string
	// Secret signs posts.
	Secret []byte
	// HTTP is the client used; default one with a 30 s timeout.
	HTTP *http.Client
	// Now stamps the replay-proof signature; default time.Now.
	Now func() time.Time
}

// NewClient returns a client for the API at baseURL.
func NewClient(baseURL string, secret []byte) *Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 256 // probers and importers post concurrently
	return &Client{URL: strings.TrimRight(baseURL, "/"), Secret: secret,
		HTTP: &http.Client{Timeout: 30 * time.Second, Transport: t}, Now: time.Now}
}

// PostStats posts one record, signed with both Authorization and
// SignatureHeader.
func (c *Client) PostStats(ctx context.Context, s podium.Stats) (PostResult, error) {
	body, err := json.Marshal(s)
	if err != nil {
		return PostResult{}, fmt.Errorf("encode stats: %w", err)
	}
	return c.PostStatsJSON(ctx, body)
}

// PostStatsJSON posts body, one record already encoded as JSON, signed.
func (c *Client) PostStatsJSON(ctx context.Context, body []byte) (PostResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL+"/api/post_stats", bytes.NewReader(body))
	if err != nil {
		return PostResult{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", Sign(c.Secret, body))
	req.Header.Set(SignatureHeader, SignTimestamped(c.Secret, body, c.now(), newNonce()))
	var res PostResult
	return res, c.do(req, &res)
}

// AggregatedStats returns {orchestrator: {region: score}} for q; a zero
// Since or Until leaves the server's default (the last 24 h). q's JobType,
// Pipeline and Model ask for AI tests (job_type, pipeline, model).
func (c *Client) AggregatedStats(ctx context.Context, q podium.StatsQuery) (map[string]map[string]podium.Score, error) {
	var out map[string]map[string]podium.Score
	return out, c.get(ctx, "/api/aggregated_stats", queryValues(q), &out)
}

// RawStats returns {region: [records newest first]} of q.Orchestrator; with
// q.JobType JobAI (and Pipeline and Model), its AI tests, each with its AI
// fields.
func (c *Client) RawStats(ctx context.Context, q podium.StatsQuery) (map[string][]podium.Stats, error) {
	var out map[string][]podium.Stats
	return out, c.get(ctx, "/api/raw_stats", queryValues(q), &out)
}

// Pipelines returns the AI pipelines tested in q's window (in q.Region when
// set), each with its models and regions (/api/pipelines).
func (c *Client) Pipelines(ctx context.Context, q podium.StatsQuery) ([]podium.Pipeline, error) {
	var out PipelinesResponse
	return out.Pipelines, c.get(ctx, "/api/pipelines", queryValues(podium.StatsQuery{Region: q.Region, Since: q.Since, Until: q.Until}), &out)
}

// Regions returns the server's regions.
func (c *Client) Regions(ctx context.Context) ([]podium.Region, error) {
	var out RegionsResponse
	return out.Regions, c.get(ctx, "/api/regions", nil, &out)
}

func queryValues(q podium.StatsQuery) url.Values {
	v := url.Values{}
	if q.Orchestrator != "" {
		v.Set("orchestrator", q.Orchestrator)
	}
	if q.Region != "" {
		v.Set("region", q.Region)
	}
	if q.Since != 0 {
		v.Set("since", strconv.FormatInt(q.Since, 10))
	}
	if q.Until != 0 {
		v.Set("until", strconv.FormatInt(q.Until, 10))
	}
	if q.JobType != "" {
		v.Set("job_type", q.JobType)
	}
	if q.Pipeline != "" {
		v.Set("pipeline", q.Pipeline)
	}
	if q.Model != "" {
		v.Set("model", q.Model)
	}
	return v
}

func (c *Client) get(ctx context.Context, path string, v url.Values, out any) error {
	u := c.URL + path
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	return c.do(req, out)
}

// do sends req and decodes a 2xx JSON answer into out; any other answer
// becomes a *podium.Error with the code of its status and the server's words.
func (c *Client) do(req *http.Request, out any) error {
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return &podium.Error{Code: podium.EUNAVAILABLE, Message: req.Method + " " + req.URL.Path, Err: err,
			Hint: "check that the leaderboard URL is right and the server is up"}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return &podium.Error{Code: podium.EUNAVAILABLE, Message: "reading the answer of " + req.URL.Path, Err: err}
	}
	if resp.StatusCode/100 != 2 {
		var eb errorBody
		if json.Unmarshal(data, &eb) != nil || eb.Error == "" {
			eb.Error = strings.TrimSpace(string(data))
		}
		msg := strings.TrimPrefix(eb.Error, eb.Field+": ") // Error() puts the field back
		return &podium.Error{Code: podium.CodeOfHTTPStatus(resp.StatusCode), Field: eb.Field, Hint: eb.Hint,
			Message: fmt.Sprintf("%s (%s %s: %s)", msg, req.Method, req.URL.Path, resp.Status)}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &podium.Error{Code: podium.EINTERNAL, Message: "decoding the answer of " + req.URL.Path, Err: err}
	}
	return nil
}

// newNonce returns 16 random hex digits: unique per post, so a retry of the
// same body in the same second is not taken for a replay.
func newNonce() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (c *Client) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}
