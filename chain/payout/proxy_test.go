package payout_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// proxy is a JSON-RPC proxy in front of the dev chain whose faults a test
// controls: per method it can drop a call (answer as if it worked, forward
// nothing), forward and then lose the answer, or fail without forwarding.
type proxy struct {
	*httptest.Server
	upstream string

	mu    sync.Mutex
	fault func(method string, n int) fault // n counts calls of method, from 1
	calls map[string]int
}

type fault int

const (
	pass      fault = iota
	drop            // eth_sendRawTransaction only: reply with the hash, forward nothing
	loseReply       // forward, then answer 502
	fail            // answer 503, forward nothing
)

func newProxy(t *testing.T, upstream string, f func(method string, n int) fault) *proxy {
	t.Helper()
	p := &proxy{upstream: upstream, fault: f, calls: map[string]int{}}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

func (p *proxy) count(method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[method]
}

func (p *proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params []json.RawMessage
	}
	_ = json.Unmarshal(body, &req) // batches pass through untouched
	p.mu.Lock()
	p.calls[req.Method]++
	f := p.fault(req.Method, p.calls[req.Method])
	p.mu.Unlock()
	switch f {
	case fail:
		http.Error(w, "injected failure", http.StatusServiceUnavailable)
		return
	case drop:
		var raw string
		_ = json.Unmarshal(req.Params[0], &raw)
		tx := new(types.Transaction)
		_ = tx.UnmarshalBinary(common.FromHex(raw))
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": tx.Hash()})
		return
	}
	resp, err := http.Post(p.upstream, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if f == loseReply {
		http.Error(w, "injected lost reply", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.StatusCode)
	w.Write(out)
}
