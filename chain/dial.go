package chain

import (
	"context"
	"net/http"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/podiumhq/podium"
)

// Dial connects to a JSON-RPC URL. Every call gives up after timeout (0 means
// 30 s), so a node that hangs fails the call instead of the program.
func Dial(ctx context.Context, url string, timeout time.Duration) (*ethclient.Client, error) {
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	c, err := rpc.DialOptions(ctx, url, rpc.WithHTTPClient(&http.Client{Timeout: timeout}))
	if err != nil {
		return nil, podium.FieldError("rpc", "cannot use %q: %v", url, err).WithHint("pass an http(s):// JSON-RPC URL")
	}
	return ethclient.NewClient(c), nil
}
