package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/podiumhq/podium"
)

// PostCapacity posts one capacity record, signed as PostStats signs.
func (c *Client) PostCapacity(ctx context.Context, rec podium.Capacity) (PostResult, error) {
	body, err := json.Marshal(rec)
	if err != nil {
		return PostResult{}, fmt.Errorf("encode capacity: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL+"/api/post_capacity", bytes.NewReader(body))
	if err != nil {
		return PostResult{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", Sign(c.Secret, body))
	req.Header.Set(SignatureHeader, SignTimestamped(c.Secret, body, c.now(), newNonce()))
	var res PostResult
	return res, c.do(req, &res)
}

// Capacity returns the latest capacity record and the history of
// q.Orchestrator; a zero Since or Until leaves the server's default.
func (c *Client) Capacity(ctx context.Context, q podium.StatsQuery) (CapacityResponse, error) {
	var out CapacityResponse
	return out, c.get(ctx, "/api/capacity", queryValues(q), &out)
}
