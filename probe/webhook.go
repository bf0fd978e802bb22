package probe

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
)

// Webhook serves a go-livepeer broadcaster's orchestrator discovery list
// (its -orchWebhookUrl): `[{"address":"https://…"}]`. Pin makes it list
// exactly one orchestrator, so the broadcaster can only use the one under
// test; one pin at a time, the others wait.
type Webhook struct {
	slot chan struct{} // holds a token while pinned

	mu   sync.Mutex
	addr string
}

// NewWebhook returns a webhook listing no orchestrator.
func NewWebhook() *Webhook { return &Webhook{slot: make(chan struct{}, 1)} }

// Pin lists only uri until the returned function is called. It waits for
// the previous pin to end, or for ctx.
func (w *Webhook) Pin(ctx context.Context, uri string) (unpin func(), err error) {
	select {
	case w.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	w.mu.Lock()
	w.addr = uri
	w.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			w.mu.Lock()
			w.addr = ""
			w.mu.Unlock()
			<-w.slot
		})
	}, nil
}

// ServeHTTP answers the broadcaster's discovery request.
func (w *Webhook) ServeHTTP(rw http.ResponseWriter, _ *http.Request) {
	type entry struct {
		Address string `json:"address"`
	}
	w.mu.Lock()
	list := []entry{}
	if w.addr != "" {
		list = append(list, entry{Address: w.addr})
	}
	w.mu.Unlock()
	rw.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(rw).Encode(list)
}
