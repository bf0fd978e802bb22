package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// poster returns how a record is posted: through podium's client, which
// wants the answer "stored", or, against leaderboard-serverless, signed
// with its Authorization header alone and acknowledged by a 200.
func poster(cfg Config, c *web.Client) func(context.Context, podium.Stats) error {
	if !cfg.Anchor {
		return func(ctx context.Context, rec podium.Stats) error {
			res, err := c.PostStats(ctx, rec)
			if err == nil && res.Status != web.StatusStored {
				err = fmt.Errorf("post %s: status %q, want %q", rec.TestID, res.Status, web.StatusStored)
			}
			return err
		}
	}
	return func(ctx context.Context, rec podium.Stats) error {
		body, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("encode stats: %w", err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL+"/api/post_stats", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", web.Sign(c.Secret, body))
		resp, err := c.HTTP.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20)) // read to the end: the connection is kept
		if err != nil {
			return fmt.Errorf("post: reading the answer: %w", err)
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("post: %s: %s", resp.Status, bytes.TrimSpace(answer))
		}
		return nil
	}
}

// Key names a record among those of a run: its test_id on podium; on
// leaderboard-serverless, which drops test_id, its region, orchestrator,
// timestamp and the bits of its round-trip time (random per record, so
// two records of a run share a key only by a 2^-52 chance).
func Key(cfg Config, s podium.Stats) string {
	if !cfg.Anchor {
		return s.TestID
	}
	return fmt.Sprintf("%s|%s|%d|%016x", s.Region, s.Orchestrator, s.Timestamp, math.Float64bits(s.RoundTripTime))
}

// StoredAnchor returns the keys of rep's records (acknowledged or not) that
// leaderboard-serverless's raw_stats answers hold, each once, and how many
// it holds twice or more (which must be none). It windows on arrival time,
// so the window is all time up to an hour from now.
func StoredAnchor(ctx context.Context, cfg Config, rep *Report) (keys map[string]bool, dups int, err error) {
	if cfg.Orchestrators <= 0 {
		cfg.Orchestrators = 20
	}
	sent := make(map[string]bool, len(rep.Sent))
	for _, k := range rep.Sent {
		sent[k] = true
	}
	keys = make(map[string]bool)
	err = eachStored(ctx, cfg, func(r podium.Stats) {
		k := Key(cfg, r)
		if !sent[k] {
			return // an earlier run's
		}
		if keys[k] {
			dups++
		}
		keys[k] = true
	})
	if err != nil {
		return nil, 0, err
	}
	return keys, dups, nil
}
