package lpnet

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace is how long a stopping server gives its open requests.
const ShutdownGrace = 5 * time.Second

// ServeUntil runs serve (srv.Serve or srv.ServeTLS on ln) until it fails,
// which is the error returned, or until ctx is done, when srv is shut down
// with ShutdownGrace for its open requests and nil is returned.
func ServeUntil(ctx context.Context, srv *http.Server, ln net.Listener, serve func() error) error {
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
		defer cancel()
		_ = srv.Shutdown(shutdown)
		return nil
	}
}
