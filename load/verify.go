package load

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// Stored returns the test IDs of cfg's run that the server's raw_stats
// answers hold, counting each stored record once, and how many it saw twice
// (which must be none).
func Stored(ctx context.Context, cfg Config) (ids map[string]bool, dups int, err error) {
	if cfg.RunID == "" {
		return nil, 0, &podium.Error{Code: podium.EINVALID, Field: "run id", Message: "is empty", Hint: "set Config.RunID before Run"}
	}
	if cfg.Orchestrators <= 0 {
		cfg.Orchestrators = 20
	}
	ids = make(map[string]bool)
	err = eachStored(ctx, cfg, func(r podium.Stats) {
		if !strings.HasPrefix(r.TestID, cfg.RunID+"-") {
			return
		}
		if ids[r.TestID] {
			dups++
		}
		ids[r.TestID] = true
	})
	if err != nil {
		return nil, 0, err
	}
	return ids, dups, nil
}

// eachStored calls f with every record the server's raw_stats holds for
// cfg's orchestrators, from all time up to an hour from now.
func eachStored(ctx context.Context, cfg Config, f func(podium.Stats)) error {
	c := web.NewClient(cfg.URL, cfg.Secret)
	c.HTTP.Timeout = time.Minute
	until := time.Now().Unix() + 3600
	for i := range cfg.Orchestrators {
		byRegion, err := c.RawStats(ctx, podium.StatsQuery{Orchestrator: Orchestrator(i), Since: 1, Until: until})
		if err != nil {
			return fmt.Errorf("raw_stats of %s: %w", Orchestrator(i), err)
		}
		for _, recs := range byRegion {
			for _, r := range recs {
				f(r)
			}
		}
	}
	return nil
}

// Missing returns the acknowledged IDs that are not stored.
func Missing(acked []string, stored map[string]bool) []string {
	var out []string
	for _, id := range acked {
		if !stored[id] {
			out = append(out, id)
		}
	}
	return out
}
