package media

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Pool generates test segments ahead of time in the background, at most
// Size waiting, so a test takes a ready segment instead of waiting for
// ffmpeg. Each segment has a fresh nonce.
type Pool struct {
	gen    *Generator
	nonces *NonceSeq
	logger *slog.Logger
	ready  chan *Segment
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	lastErr error
	failed  chan struct{} // closed (and replaced) when a generation fails
}

// PoolConfig configures a Pool.
type PoolConfig struct {
	Size      int          // segments kept ready; 4 when 0
	Seed      uint64       // seeds the nonce sequence
	Generator *Generator   // nil means ffmpeg from PATH
	Logger    *slog.Logger // nil means slog.Default()
}

// NewPool starts a pool generating segments until Close.
func NewPool(cfg PoolConfig) *Pool {
	if cfg.Size <= 0 {
		cfg.Size = 4
	}
	if cfg.Generator == nil {
		cfg.Generator = &Generator{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{
		gen:    cfg.Generator,
		nonces: NewNonceSeq(cfg.Seed),
		logger: cfg.Logger,
		ready:  make(chan *Segment, cfg.Size),
		cancel: cancel,
		done:   make(chan struct{}),
		failed: make(chan struct{}),
	}
	go p.fill(ctx)
	return p
}

// fill generates segments while there is room, backing off on failure.
func (p *Pool) fill(ctx context.Context) {
	defer close(p.done)
	backoff := time.Second
	for ctx.Err() == nil {
		nonce := p.nonces.Next()
		seg, err := p.gen.Generate(ctx, nonce)
		p.mu.Lock()
		p.lastErr = err
		if err != nil {
			close(p.failed)
			p.failed = make(chan struct{})
		}
		p.mu.Unlock()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			p.logger.Warn("generate segment", "nonce", nonce, "err", err, "retry_in", backoff)
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return
			}
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		backoff = time.Second
		select {
		case p.ready <- seg:
		case <-ctx.Done():
			return
		}
	}
}

// Get returns a ready segment, waiting for one when the pool is empty. It
// returns the generator's error at once when the pool is empty because
// generation fails.
func (p *Pool) Get(ctx context.Context) (*Segment, error) {
	for {
		select {
		case seg := <-p.ready:
			return seg, nil
		default:
		}
		p.mu.Lock()
		err, failed := p.lastErr, p.failed
		p.mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("segment pool: %w", err)
		}
		select {
		case seg := <-p.ready:
			return seg, nil
		case <-failed:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-p.done:
			return nil, fmt.Errorf("segment pool is closed")
		}
	}
}

// Close stops generation and waits for the generator to finish.
func (p *Pool) Close() {
	p.cancel()
	<-p.done
}

// NonceSeq hands out nonces that never repeat within 2³² draws and are
// never 0: a seeded bijection of a counter, so the same seed replays the
// same sequence.
type NonceSeq struct {
	mu   sync.Mutex
	seed uint32
	n    uint32
}

// NewNonceSeq returns the sequence of seed.
func NewNonceSeq(seed uint64) *NonceSeq {
	return &NonceSeq{seed: uint32(seed) ^ uint32(seed>>32)}
}

// Next returns the next nonce.
func (s *NonceSeq) Next() uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		s.n++
		if v := mix32(s.n + s.seed); v != 0 {
			return v
		}
	}
}

// mix32 is MurmurHash3's finalizer: a bijection on uint32 that scatters
// consecutive inputs.
func mix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}
