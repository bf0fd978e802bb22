package demo

import (
	"context"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/lpnet/pm"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/probe"
	"github.com/podiumhq/podium/web"
)

// probers are the demo's three regional probers, each a probe.Prober with
// its own pool of test segments (generating them is a third of a test's
// CPU, so one pool would hold all three back), its own spool and its own
// paying client. No cycle starts that could not end before the snapshot.
type probers struct {
	list   []*regionProber
	pools  []*media.Pool
	mu     sync.Mutex
	posted map[string]int        // records the leaderboard stored, by region
	done   map[string]int        // tests finished, by region
	cost   map[string]lpnet.Cost // what testing paid, by region
	// stored is the cost of the records the leaderboard stored, by region.
	stored map[string]podium.CostSum
	ai     AITally
}

// AITally counts the AI tests the probers ran (one per pipeline and model
// of an orchestrator) and those that failed, by pipeline.
type AITally struct {
	Ran, Failed int
	// ByPipeline is "ran/failed" counts of each pipeline.
	ByPipeline map[string][2]int
}

// aiTested counts a finished AI test.
func (ps *probers) aiTested(region string, r probe.Result) {
	ps.tested(region, r.Cost)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.ai.ByPipeline == nil {
		ps.ai.ByPipeline = map[string][2]int{}
	}
	c := ps.ai.ByPipeline[r.Stats.Pipeline]
	ps.ai.Ran++
	c[0]++
	if !probe.Clean(r) {
		ps.ai.Failed++
		c[1]++
	}
	ps.ai.ByPipeline[r.Stats.Pipeline] = c
}

// aiTally returns the AI tests counted so far.
func (ps *probers) aiTally() AITally {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	t := ps.ai
	t.ByPipeline = maps.Clone(t.ByPipeline)
	return t
}

// postedCosts returns the cost of the records the leaderboard stored so
// far, by region, as the probers count it.
func (ps *probers) postedCosts() map[string]podium.CostSum {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := map[string]podium.CostSum{}
	for k, v := range ps.stored {
		var c podium.CostSum
		c.AddSum(v)
		out[k] = c
	}
	return out
}

// tested counts a finished test from region and what it paid, posted yet
// or not (a cycle posts its tests when it ends).
func (ps *probers) tested(region string, c lpnet.Cost) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.cost == nil {
		ps.cost, ps.done = map[string]lpnet.Cost{}, map[string]int{}
	}
	ps.cost[region] = ps.cost[region].Add(c)
	ps.done[region]++
}

// costs returns what testing paid so far, by region.
func (ps *probers) costs() map[string]lpnet.Cost {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := map[string]lpnet.Cost{}
	for k, v := range ps.cost {
		out[k] = v
	}
	return out
}

// proberConfig is what the probers need from the demo.
type proberConfig struct {
	Registry    podium.Registry
	Network     *network
	Leaderboard string
	Secret      []byte
	Dir         string
	Segments    int
	Concurrency int
	Seed        int64
	// Chain carries the probers' ticket payments.
	Chain  pm.Chain
	Now    func() time.Time
	Logger *slog.Logger
}

// AIPipelines are the AI pipelines the demo's probers test.
var AIPipelines = []string{lpnet.PipelineUpscale, lpnet.PipelineTextToImage}

// probeProfiles are the renditions the demo's probers ask for.
var probeProfiles = []string{media.P360p30fps16x9.Name, media.P240p30fps16x9.Name}

func newProbers(c proberConfig) (*probers, error) {
	ps := &probers{posted: map[string]int{}, stored: map[string]podium.CostSum{}}
	verifier := &probe.BatchVerifier{Verifier: &media.Verifier{}}
	client := web.NewClient(c.Leaderboard, c.Secret)
	ladder, err := lpnet.LookupProfiles(probeProfiles)
	if err != nil {
		return nil, err
	}
	refs, err := media.LookupProfiles(probeProfiles)
	if err != nil {
		return nil, err
	}
	for i, region := range Regions {
		log := c.Logger.With("component", "probe", "region", region)
		spool, err := probe.OpenSpool(filepath.Join(c.Dir, "spool", region))
		if err != nil {
			ps.close()
			return nil, err
		}
		pool := media.NewPool(media.PoolConfig{Size: 2 * c.Concurrency, Seed: uint64(c.Seed)*10 + uint64(i),
			Generator: &media.Generator{Profiles: refs}, Logger: log})
		ps.pools = append(ps.pools, pool)
		signer := lpnet.NewSigner(proberKey(c.Seed, i))
		lp := lpnet.NewClient(signer)
		if err := lp.Need(ladder); err != nil {
			ps.close()
			return nil, err
		}
		lp.Payer = lpnet.NewPayer(signer, c.Chain)
		lp.Payer.MaxPrice = MaxPrice
		lp.HTTP = &http.Client{Transport: c.Network.transport(region, lp.HTTP.Transport.(*http.Transport))}
		sender := &probe.Sender{
			Poster: probe.PosterFunc(func(ctx context.Context, rec podium.Stats) error {
				res, err := client.PostStats(ctx, rec)
				if err != nil {
					return err
				}
				ps.mu.Lock()
				defer ps.mu.Unlock()
				ps.posted[rec.Region]++
				if res.Status == web.StatusStored && rec.Cost != nil {
					// The leaderboard stored it, so its cost parses.
					c := ps.stored[rec.Region]
					if c.Add(*rec.Cost) == nil {
						ps.stored[rec.Region] = c
					}
				}
				return nil
			}),
			Spool: spool, Backoff: probe.DefaultBackoff, Sleep: probe.Sleep, Logger: log,
		}
		tester := &probe.Tester{
			Region: region, Segments: c.Segments, SegDuration: media.SegmentFrames * time.Second / media.SegmentFPS,
			Profiles: probeProfiles,
			Source:   probe.MediaSource{Pool: pool}, Verifier: verifier, Now: c.Now, Sleep: probe.Sleep,
		}
		test := time.Duration(c.Segments)*tester.SegDuration + 2*time.Second
		// AI tests of the orchestrators that serve AI, next to the
		// transcoding tests, starting spread over one test's time. Two
		// pipelines only, the cheap ones (one ffmpeg run a test), so that
		// a short round on a busy machine still tests every orchestrator's
		// transcoding.
		ai := &probe.AIPlan{
			Tester: &probe.AITester{Client: lp, Region: region, Timeout: 30 * time.Second, Gap: 200 * time.Millisecond, Now: c.Now,
				Pipelines: AIPipelines},
			Spread: test, CycleTimeout: time.Minute, Concurrency: 1,
			Progress: func(r probe.Result) { ps.aiTested(region, r) },
		}
		ps.list = append(ps.list, &regionProber{
			region: region,
			prober: &probe.Prober{
				Registry: regionalRegistry{Registry: c.Registry, routes: c.Network.route[region]},
				Tester:   tester, Transports: probe.Transports{"direct": &probe.Direct{Client: lp}}, Transport: "direct",
				Concurrency: c.Concurrency, Rand: rand.New(rand.NewPCG(uint64(c.Seed), uint64(i))),
				Sender: sender, Logger: log, Sleep: probe.Sleep,
				Progress: func(_, _ int, r probe.Result) { ps.tested(region, r.Cost) },
				AI:       ai,
			},
			test: test, log: log,
		})
	}
	return ps, nil
}

// run runs every prober until the round's end.
func (ps *probers) run(ctx context.Context, end time.Time, pause time.Duration, now func() time.Time) {
	var wg sync.WaitGroup
	for _, p := range ps.list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.run(ctx, end, pause, now)
		}()
	}
	wg.Wait()
}

// close stops the segment pools (and their ffmpeg).
func (ps *probers) close() {
	for _, p := range ps.pools {
		p.Close()
	}
}

// counts returns the records stored so far, by region.
func (ps *probers) counts() map[string]int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return maps.Clone(ps.posted)
}

// finished returns the tests finished so far, by region.
func (ps *probers) finished() map[string]int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return maps.Clone(ps.done)
}
