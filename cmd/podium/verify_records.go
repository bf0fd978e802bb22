package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/verify"
	"github.com/podiumhq/podium/web"
)

// snapshotFlags are verify's flags for checking the snapshot itself, which
// on its own is only consistent with itself.
type snapshotFlags struct {
	expect, records, leaderboard string
}

func (s *snapshotFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&s.expect, "expect-snapshot", "", "the snapshot id published when it was taken (sha256:…); any other snapshot differs")
	f.StringVar(&s.records, "records", "", "raw records file (what /api/raw_stats answers, a JSON array or JSON lines): recompute the snapshot's digest and aggregates from it")
	f.StringVar(&s.leaderboard, "leaderboard", "", "leaderboard URL: recompute the snapshot's digest and aggregates, the AI ones too, from its /api/raw_stats")
}

func (s snapshotFlags) validate() error {
	if s.records != "" && s.leaderboard != "" {
		return podium.FieldError("--records", "give --records or --leaderboard, not both")
	}
	return nil
}

// check adds to res what differs between the snapshot of round id of p and
// the published id and the raw records, of a --records file or of the
// leaderboard's raw_stats: the transcoding part and, for a round with AI
// pools, the AI part (the leaderboard is asked for its AI records too).
func (s snapshotFlags) check(ctx context.Context, res *verify.Result, p *podium.Program, id int, snapshotFile []byte) error {
	if s.expect != "" {
		verify.ExpectSnapshot(res, s.expect)
	}
	var recs []podium.Stats
	switch {
	case s.records != "":
		b, err := readFile("records", s.records)
		if err != nil {
			return err
		}
		if recs, err = verify.ParseRecords(b); err != nil {
			return err
		}
	case s.leaderboard != "":
		snap, err := podium.ParseSnapshot(snapshotFile)
		if err != nil {
			return err
		}
		c := web.NewClient(s.leaderboard, nil)
		if recs, err = rawStats(ctx, c, snap); err != nil {
			return err
		}
		r, err := p.Round(id)
		if err != nil {
			return err
		}
		if r.HasAI() || snap.AI != nil {
			ai, err := aiRawStats(ctx, c, r, snap)
			if err != nil {
				return err
			}
			recs = append(recs, ai...)
		}
	default:
		return nil
	}
	if err := verify.Records(res, snapshotFile, recs); err != nil {
		return err
	}
	return verify.AIRecords(res, p, id, snapshotFile, recs)
}

// rawStats reads the records of [since, until) from a leaderboard. Its
// raw_stats answers one orchestrator at a time, so every orchestrator the
// snapshot names or the leaderboard aggregates over the window is asked.
func rawStats(ctx context.Context, c *web.Client, snap *podium.Snapshot) ([]podium.Stats, error) {
	q := podium.StatsQuery{Since: snap.Since, Until: snap.Until}
	agg, err := c.AggregatedStats(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("aggregated stats: %w", err)
	}
	orchs := map[string]bool{}
	for a := range agg {
		orchs[a] = true
	}
	for _, e := range snap.Aggregates {
		orchs[e.Orchestrator] = true
	}
	var out []podium.Stats
	for a := range orchs {
		q.Orchestrator = a
		byRegion, err := c.RawStats(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("raw stats of %s: %w", a, err)
		}
		for _, rs := range byRegion {
			out = append(out, rs...)
		}
	}
	return out, nil
}
