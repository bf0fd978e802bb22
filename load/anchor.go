package load

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// poster returns how one poster posts a record, over a keep-alive
// connection of its own (see wire): to podium signed with both
// Authorization and web.SignatureHeader, as web.Client signs, wanting the
// answer "stored"; to leaderboard-serverless signed with its Authorization
// header alone and acknowledged by a 200. Each call makes a new poster;
// done closes its connection.
func poster(cfg Config, timeout time.Duration) (post func(context.Context, podium.Stats) error, done func(), err error) {
	w, err := newWire(cfg.URL, timeout)
	if err != nil {
		return nil, nil, err
	}
	hs := make([]header, 0, 3)
	return func(ctx context.Context, rec podium.Stats) error {
		body, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("encode stats: %w", err)
		}
		hs = append(hs[:0], header{"Content-Type", "application/json"}, header{"Authorization", web.Sign(cfg.Secret, body)})
		if !cfg.Anchor {
			hs = append(hs, header{web.SignatureHeader, web.SignTimestamped(cfg.Secret, body, cfg.Now(), nonce())})
		}
		status, answer, err := w.post(ctx, "/api/post_stats", hs, body)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("post %s: %d %s: %s", rec.TestID, status, http.StatusText(status), answer)
		}
		if cfg.Anchor {
			return nil
		}
		var res web.PostResult
		if err := json.Unmarshal(answer, &res); err != nil {
			return fmt.Errorf("post %s: the answer %q is not a post result: %w", rec.TestID, answer, err)
		}
		if res.Status != web.StatusStored {
			return fmt.Errorf("post %s: status %q, want %q", rec.TestID, res.Status, web.StatusStored)
		}
		return nil
	}, w.close, nil
}

// nonce returns 16 random hex digits for the replay-proof signature.
func nonce() string {
	var b [8]byte
	crand.Read(b[:])
	return hex.EncodeToString(b[:])
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
