package demo

import (
	"context"
	"log/slog"
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

// probers are the demo's three regional probers, each with its own pool of
// test segments (generating them is a third of a test's CPU, so one pool
// would hold all three back). Each is the
// probe package's Tester, transport and Sender; the demo schedules the tests
// itself so that every record is posted as soon as its test ends (a probe
// cycle posts when the whole cycle ends, too late for a round of minutes on a
// busy machine) and no test starts that could not end before the snapshot.
type probers struct {
	list   []*regionProber
	pools  []*media.Pool
	mu     sync.Mutex
	posted map[string]int        // records the leaderboard stored, by region
	cost   map[string]lpnet.Cost // what testing paid, by region
	// stored is the cost of the records the leaderboard stored, by region.
	stored map[string]podium.CostSum
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

// addCost adds what a test from region paid.
func (ps *probers) addCost(region string, c lpnet.Cost) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.cost == nil {
		ps.cost = map[string]lpnet.Cost{}
	}
	ps.cost[region] = ps.cost[region].Add(c)
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

func newProbers(c proberConfig) (*probers, error) {
	ps := &probers{posted: map[string]int{}, stored: map[string]podium.CostSum{}}
	verifier := probe.MediaVerifier{Verifier: &media.Verifier{}}
	client := web.NewClient(c.Leaderboard, c.Secret)
	for i, region := range Regions {
		log := c.Logger.With("component", "probe", "region", region)
		spool, err := probe.OpenSpool(filepath.Join(c.Dir, "spool", region))
		if err != nil {
			ps.close()
			return nil, err
		}
		pool := media.NewPool(media.PoolConfig{Size: 2 * c.Concurrency, Seed: uint64(c.Seed)*10 + uint64(i), Logger: log})
		ps.pools = append(ps.pools, pool)
		signer := lpnet.NewSigner(proberKey(c.Seed, i))
		lp := lpnet.NewClient(signer)
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
		ps.list = append(ps.list, &regionProber{
			region:   region,
			registry: regionalRegistry{Registry: c.Registry, routes: c.Network.route[region]},
			tester: &probe.Tester{
				Region: region, Segments: c.Segments, SegDuration: media.SegmentFrames * time.Second / media.SegmentFPS,
				Profiles: []string{media.P360p30fps16x9.Name, media.P240p30fps16x9.Name},
				Source:   probe.MediaSource{Pool: pool}, Verifier: verifier, Now: c.Now, Sleep: probe.Sleep,
			},
			transport:   &probe.Direct{Client: lp},
			sender:      sender,
			concurrency: c.Concurrency,
			index:       i, regions: len(Regions),
			log: log, cost: ps.addCost,
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
	out := map[string]int{}
	for k, v := range ps.posted {
		out[k] = v
	}
	return out
}
