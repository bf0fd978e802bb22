package node

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// store keeps renditions in memory for a while and serves them by path,
// like go-livepeer's local object store.
type store struct {
	ttl time.Duration
	now func() time.Time

	mu sync.Mutex
	m  map[string]stored
}

type stored struct {
	data    []byte
	typ     string
	expires time.Time
}

func newStore(ttl time.Duration, now func() time.Time) *store {
	return &store{ttl: ttl, now: now, m: make(map[string]stored)}
}

// put stores data at path and drops what has expired.
func (s *store) put(path string, data []byte, typ string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.m {
		if now.After(v.expires) {
			delete(s.m, k)
		}
	}
	s.m[path] = stored{data: data, typ: typ, expires: now.Add(s.ttl)}
}

// ServeHTTP serves a stored rendition; expired ones are gone (404).
func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	v, ok := s.m[r.URL.Path]
	s.mu.Unlock()
	if !ok || s.now().After(v.expires) {
		http.Error(w, "rendition not found or expired", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", v.typ)
	w.Header().Set("Content-Length", strconv.Itoa(len(v.data)))
	if r.Method == http.MethodGet {
		_, _ = w.Write(v.data)
	}
}
