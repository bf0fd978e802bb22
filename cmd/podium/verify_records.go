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
	f.StringVar(&s.leaderboard, "leaderboard", "", "leaderboard URL: recompute the snapshot's digest and aggregates from its /api/raw_stats")
}

func (s snapshotFlags) validate() error {
	if s.records != "" && s.leaderboard != "" {
		return podium.FieldError("--records", "give --records or --leaderboard, not both")
	}
	return nil
}

// check adds to res what differs between the snapshot and the published
// id and the raw records.
func (s snapshotFlags) check(ctx context.Context, res *verify.Result, snapshotFile []byte) error {
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
		if recs, err = rawStats(ctx, web.NewClient(s.leaderboard, nil), snap.Since, snap.Until); err != nil {
			return err
		}
	default:
		return nil
	}
	return verify.Records(res, snapshotFile, recs)
}

// rawStats reads the records of [since, until) an hour at a time, as a
// snapshot reads them.
func rawStats(ctx context.Context, c *web.Client, since, until int64) ([]podium.Stats, error) {
	var out []podium.Stats
	for from := since; from < until; from += 3600 {
		byRegion, err := c.RawStats(ctx, podium.StatsQuery{Since: from, Until: min(from+3600, until)})
		if err != nil {
			return nil, fmt.Errorf("raw stats %d-%d: %w", from, min(from+3600, until), err)
		}
		for _, rs := range byRegion {
			out = append(out, rs...)
		}
	}
	return out, nil
}
