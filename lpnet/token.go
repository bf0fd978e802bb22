package lpnet

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// authToken returns the token of a session: HMAC-SHA256 under the
// orchestrator's secret of the session id followed by the expiration as a
// big-endian integer, as go-livepeer computes it. Only its issuer can check it.
func authToken(secret []byte, sessionID string, expiration int64) *AuthToken {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(sessionID))
	m.Write(new(big.Int).SetInt64(expiration).Bytes())
	return &AuthToken{Token: m.Sum(nil), SessionId: sessionID, Expiration: expiration}
}

// checkToken returns nil when t is a token this secret issued and it has not
// expired at now.
func checkToken(secret []byte, t *AuthToken, now time.Time) error {
	if t == nil {
		return ErrMissingToken
	}
	want := authToken(secret, t.GetSessionId(), t.GetExpiration())
	if !hmac.Equal(want.Token, t.GetToken()) {
		return ErrInvalidToken
	}
	if now.After(time.Unix(t.GetExpiration(), 0)) {
		return ErrExpiredToken
	}
	return nil
}

// newSessionID returns 8 random hex digits, the shape of go-livepeer's ids.
func newSessionID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// senders remembers which address asked for each session, so that a
// segment sent without a payment header can still be checked against the
// key that opened its session.
type senders struct {
	mu sync.Mutex
	m  map[string]sender
}

type sender struct {
	addr    common.Address
	expires time.Time
}

func (s *senders) put(id string, addr common.Address, expires, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]sender)
	}
	for k, v := range s.m {
		if now.After(v.expires) {
			delete(s.m, k)
		}
	}
	s.m[id] = sender{addr: addr, expires: expires}
}

func (s *senders) get(id string) (common.Address, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[id]
	return v.addr, ok
}
