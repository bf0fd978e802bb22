package probe_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/podiumhq/podium/probe"
)

func TestClassify(t *testing.T) {
	// A port that was just closed: connecting to it is refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	_, refused := http.Get("http://" + closed)

	// A server slower than the client's deadline.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer slow.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, slow.URL, nil)
	_, timedOut := http.DefaultClient.Do(req)

	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"OKNil", nil, ""},
		{"Refused", refused, probe.CodeUnreachable},
		{"Deadline", timedOut, probe.CodeTimeout},
		{"Coded", fmt.Errorf("wrap: %w", probe.Errorc(probe.CodeDownload, errors.New("x"))), probe.CodeDownload},
		{"RemoteCapped", errors.New("rpc error: OrchestratorCapped"), probe.CodeOrchestratorCapped},
		{"RemoteBusy", errors.New("OrchestratorBusy"), probe.CodeOrchestratorBusy},
		{"Other", errors.New("boom"), probe.CodeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := probe.Classify(tc.err); got != tc.want {
				t.Errorf("Classify(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}
