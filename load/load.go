// Package load drives a podium leaderboard on loopback with signed posts
// from many posters and reads of every API endpoint and page at once, and
// reports throughput, latency per endpoint, errors, and whether every
// acknowledged record was stored.
package load

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// Config is one load run.
type Config struct {
	// URL is the server's base URL; its host must be a loopback address.
	URL    string
	Secret []byte
	// Duration bounds the run in time, MaxPosts in count (0: no count bound).
	Duration time.Duration
	MaxPosts int
	// Posters post concurrently, each as its own prober; Readers read
	// (none when 0).
	Posters int
	Readers int
	// Anchor says the server is leaderboard-serverless, not podium: a post
	// is acknowledged by a 200 (its answer is a plain "ok"), and records are
	// told apart by their contents (see Key), since it drops test_id.
	Anchor bool
	// Orchestrators and Regions are what the posted records are about.
	Orchestrators int
	Regions       []string
	// Pages are extra GET paths read in turn with the API (UI pages,
	// /api/v1/rounds…).
	Pages []string
	// RunID prefixes every test_id, so runs against one database don't mix.
	RunID string
	Seed  uint64
	Now   func() time.Time
}

// Endpoint is what one endpoint measured.
type Endpoint struct {
	Name     string
	Requests int
	Errors   int
	P50, P99 time.Duration
}

// Report is a run's outcome.
type Report struct {
	Elapsed   time.Duration
	Endpoints []Endpoint
	// Acked lists the keys (see Key) of the records the server
	// acknowledged as stored; Sent those of every record posted.
	Acked []string
	Sent  []string
	// Errors is the total of failed requests; FirstErrors shows a few.
	Errors      int
	FirstErrors []string
}

// Requests is the total of requests made.
func (r *Report) Requests() int {
	n := 0
	for _, e := range r.Endpoints {
		n += e.Requests
	}
	return n
}

// CheckLoopback refuses a URL whose host is not a loopback address: the
// load generator is for one's own test servers only.
func CheckLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return &podium.Error{Code: podium.EINVALID, Field: "url", Message: fmt.Sprintf("%q is not a URL", raw), Hint: "e.g. http://127.0.0.1:8088"}
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return &podium.Error{Code: podium.EINVALID, Field: "url", Message: fmt.Sprintf("host %q is not a loopback address", host),
		Hint: "load only a server of your own on 127.0.0.1 or ::1"}
}

// Run drives the server for cfg.Duration (or until cfg.MaxPosts records
// were acknowledged, or ctx is done) and reports.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := CheckLoopback(cfg.URL); err != nil {
		return nil, err
	}
	if cfg.Duration <= 0 {
		return nil, &podium.Error{Code: podium.EINVALID, Field: "duration", Message: "must be positive", Hint: "e.g. 30s"}
	}
	if cfg.Posters <= 0 {
		cfg.Posters = 8
	}
	if cfg.Readers < 0 {
		return nil, podium.FieldError("readers", "must be 0 or more, not %d", cfg.Readers)
	}
	if cfg.Orchestrators <= 0 {
		cfg.Orchestrators = 20
	}
	if len(cfg.Regions) == 0 {
		cfg.Regions = []string{"MDW", "FRA", "SIN"}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RunID == "" {
		cfg.RunID = fmt.Sprintf("load-%d", cfg.Now().UnixNano())
	}
	// The run stops taking new requests when stop is done, but lets those
	// in flight finish, so that every record posted is either acknowledged
	// or refused: stored and acknowledged can then be compared exactly.
	stop, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()

	c := web.NewClient(cfg.URL, cfg.Secret)
	c.HTTP.Timeout = 10 * time.Second
	r := &recorder{lat: make(map[string][]time.Duration), errs: make(map[string]int)}
	var wg sync.WaitGroup
	start := time.Now()
	posted := make(chan struct{}) // closed once MaxPosts are acknowledged
	var once sync.Once
	for p := range cfg.Posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(p)))
			post, done, err := poster(cfg, c.HTTP.Timeout)
			if err != nil {
				r.done("post_stats", 0, err, "")
				return
			}
			defer done()
			for i := 0; ; i++ {
				select {
				case <-stop.Done():
					return
				case <-posted:
					return
				default:
				}
				rec := record(cfg, rng, p, i)
				key := Key(cfg, rec)
				r.sent(key)
				t0 := time.Now()
				err := post(ctx, rec)
				if ctx.Err() != nil && err != nil {
					return // the run ended mid-request: neither acknowledged nor an error
				}
				if n := r.done("post_stats", time.Since(t0), err, key); cfg.MaxPosts > 0 && n >= cfg.MaxPosts {
					once.Do(func() { close(posted) })
				}
			}
		}()
	}
	reads := readPaths(cfg)
	for q := range cfg.Readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := q; ; i++ {
				select {
				case <-stop.Done():
					return
				case <-posted:
					return
				default:
				}
				rd := reads[i%len(reads)]
				t0 := time.Now()
				err := get(ctx, c.HTTP, cfg.URL+rd.path)
				if ctx.Err() != nil && err != nil {
					return
				}
				r.done(rd.name, time.Since(t0), err, "")
			}
		}()
	}
	wg.Wait()
	return r.report(time.Since(start)), nil
}

// record is poster p's i-th record: timestamps within the last hour, so
// every aggregated_stats window sees them.
func record(cfg Config, rng *rand.Rand, p, i int) podium.Stats {
	sent := 1 + rng.IntN(10)
	recv := rng.IntN(sent + 1)
	return podium.Stats{
		Region:           cfg.Regions[rng.IntN(len(cfg.Regions))],
		Orchestrator:     Orchestrator(rng.IntN(cfg.Orchestrators)),
		Timestamp:        cfg.Now().Unix() - int64(rng.IntN(3600)),
		SegmentsSent:     sent,
		SegmentsReceived: recv,
		SuccessRate:      float64(recv) / float64(sent),
		SegDuration:      2,
		UploadTime:       rng.Float64(),
		DownloadTime:     rng.Float64(),
		TranscodeTime:    rng.Float64() * 2,
		RoundTripTime:    0.5 + rng.Float64()*3,
		TestID:           fmt.Sprintf("%s-%d-%d", cfg.RunID, p, i),
	}
}

// Orchestrator is the address of the i-th orchestrator records are about.
func Orchestrator(i int) string { return fmt.Sprintf("0x%040x", 0xfeed0000+i) }

type read struct{ name, path string }

var addressRE = regexp.MustCompile(`0x[0-9a-fA-F]{40}`)

// readPaths are the reads made in turn: every API endpoint with several
// windows and filters, then cfg.Pages.
func readPaths(cfg Config) []read {
	now := cfg.Now().Unix()
	o, rg := Orchestrator(0), cfg.Regions[0]
	rs := []read{
		{"aggregated_stats", "/api/aggregated_stats"},
		{"aggregated_stats", fmt.Sprintf("/api/aggregated_stats?since=%d", now-3600)},
		{"aggregated_stats", fmt.Sprintf("/api/aggregated_stats?since=%d&until=%d&region=%s", now-7*86400, now, rg)},
		{"aggregated_stats", fmt.Sprintf("/api/aggregated_stats?orchestrator=%s", o)},
		{"raw_stats", fmt.Sprintf("/api/raw_stats?orchestrator=%s", o)},
		{"raw_stats", fmt.Sprintf("/api/raw_stats?orchestrator=%s&region=%s&since=%d", o, rg, now-600)},
		{"regions", "/api/regions"},
		{"healthz", "/healthz"},
		{"metrics", "/metrics"},
	}
	for _, p := range cfg.Pages {
		name := "page " + addressRE.ReplaceAllString(p, "{address}")
		rs = append(rs, read{name, p})
	}
	return rs
}

func get(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("GET %s: reading the body: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return nil
}

// recorder collects latencies and errors from all workers.
type recorder struct {
	mu    sync.Mutex
	lat   map[string][]time.Duration
	errs  map[string]int
	first []string
	acked []string
	sends []string
}

// sent records the key of a record about to be posted.
func (r *recorder) sent(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sends = append(r.sends, key)
}

// done records one request and returns the number of records acknowledged.
func (r *recorder) done(name string, d time.Duration, err error, ackedKey string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lat[name] = append(r.lat[name], d)
	if err != nil {
		r.errs[name]++
		if len(r.first) < 5 {
			r.first = append(r.first, name+": "+err.Error())
		}
	} else if ackedKey != "" {
		r.acked = append(r.acked, ackedKey)
	}
	return len(r.acked)
}

func (r *recorder) report(elapsed time.Duration) *Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep := &Report{Elapsed: elapsed, Acked: r.acked, Sent: r.sends, FirstErrors: r.first}
	for name, ds := range r.lat {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		rep.Endpoints = append(rep.Endpoints, Endpoint{Name: name, Requests: len(ds), Errors: r.errs[name],
			P50: quantile(ds, 0.50), P99: quantile(ds, 0.99)})
		rep.Errors += r.errs[name]
	}
	sort.Slice(rep.Endpoints, func(i, j int) bool { return rep.Endpoints[i].Name < rep.Endpoints[j].Name })
	return rep
}

// quantile of sorted ds, nearest rank.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(q*float64(len(ds))+0.999999) - 1
	return ds[max(0, min(i, len(ds)-1))]
}
