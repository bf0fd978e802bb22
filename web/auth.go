package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/podiumhq/podium"
)

// SignatureHeader carries podium's replay-proof signature of a post:
//
//	X-Podium-Signature: t=<unix seconds>,n=<nonce>,v1=<lowercase hex HMAC-SHA256(secret, "<t>.<n>." + body)>
//
// The nonce n (1 to 64 of A-Z a-z 0-9 _ -) is optional; without it the MAC is
// over "<t>." + body. The server refuses the header when t is more than
// SignatureTolerance away from its clock, and when the same signature was
// already accepted. The nonce lets a sender post the same body twice in one
// second (a retry) without it looking like a replay.
const SignatureHeader = "X-Podium-Signature"

// SignatureTolerance is how far a signature's t may be from the server clock.
const SignatureTolerance = 5 * time.Minute

// Sign returns the Authorization value of leaderboard-serverless: the
// lowercase hex HMAC-SHA256 of body under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// SignTimestamped returns the SignatureHeader value for body signed at t
// with nonce (which may be empty).
func SignTimestamped(secret, body []byte, t time.Time, nonce string) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	if nonce == "" {
		return "t=" + ts + ",v1=" + timestampedMAC(secret, ts, "", body)
	}
	return "t=" + ts + ",n=" + nonce + ",v1=" + timestampedMAC(secret, ts, nonce, body)
}

func timestampedMAC(secret []byte, ts, nonce string, body []byte) string {
	var hexSum [2 * sha256.Size]byte
	return string(writeTimestamped(hmac.New(sha256.New, secret), &hexSum, ts, nonce, body))
}

// writeTimestamped writes the MAC of "<ts>.<nonce>." + body with m (a fresh
// or reset HMAC) into dst as lowercase hex and returns it.
func writeTimestamped(m hash.Hash, dst *[2 * sha256.Size]byte, ts, nonce string, body []byte) []byte {
	io.WriteString(m, ts)
	m.Write([]byte{'.'})
	if nonce != "" {
		io.WriteString(m, nonce)
		m.Write([]byte{'.'})
	}
	m.Write(body)
	return hexSum(m, dst)
}

// hexSum returns m's sum as lowercase hex in dst.
func hexSum(m hash.Hash, dst *[2 * sha256.Size]byte) []byte {
	var sum [sha256.Size]byte
	hex.Encode(dst[:], m.Sum(sum[:0]))
	return dst[:]
}

// authenticator checks both signatures of a post. Authorization is always
// required (it is what existing senders send); the timestamped header is
// checked whenever it is present and required when requireTimestamp is set.
type authenticator struct {
	secret           []byte
	requireTimestamp bool
	now              func() time.Time
	replays          *replayGuard
	macs             sync.Pool // HMAC-SHA256 states keyed with secret
}

// mac returns an HMAC keyed with the secret, ready for a message; put it
// back in a.macs when done. Keying costs as much as hashing a small body.
func (a *authenticator) mac() hash.Hash {
	if m, ok := a.macs.Get().(hash.Hash); ok {
		m.Reset()
		return m
	}
	return hmac.New(sha256.New, a.secret)
}

var errUnauthenticated = &podium.Error{
	Code:    podium.EUNAUTHORIZED,
	Message: "request can not be authenticated",
	Hint:    "sign the exact body: Authorization = hex HMAC-SHA256(secret, body)",
}

func (a *authenticator) check(h http.Header, body []byte) error {
	m := a.mac()
	defer a.macs.Put(m)
	var want [2 * sha256.Size]byte
	m.Write(body)
	if !hmac.Equal([]byte(h.Get("Authorization")), hexSum(m, &want)) {
		return errUnauthenticated
	}
	sig := h.Get(SignatureHeader)
	if sig == "" {
		if a.requireTimestamp {
			return &podium.Error{Code: podium.EUNAUTHORIZED, Field: SignatureHeader, Message: "is required",
				Hint: "send " + SignatureHeader + ": t=<unix>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>"}
		}
		return nil
	}
	ts, nonce, mac, ok := parseSignature(sig)
	if !ok {
		return &podium.Error{Code: podium.EUNAUTHORIZED, Field: SignatureHeader, Message: "is malformed",
			Hint: "the format is t=<unix seconds>,n=<nonce>,v1=<64 hex digits>"}
	}
	m.Reset()
	if !hmac.Equal([]byte(mac), writeTimestamped(m, &want, ts, nonce, body)) {
		return &podium.Error{Code: podium.EUNAUTHORIZED, Field: SignatureHeader, Message: "does not match the body"}
	}
	t, _ := strconv.ParseInt(ts, 10, 64)
	now := a.now()
	if d := now.Sub(time.Unix(t, 0)); d > SignatureTolerance || d < -SignatureTolerance {
		return &podium.Error{Code: podium.EUNAUTHORIZED, Field: SignatureHeader,
			Message: "is stale: its time is " + d.Round(time.Second).String() + " away from the server's",
			Hint:    "sign each post when sending it, and keep the sender's clock in sync"}
	}
	if !a.replays.firstUse(mac, time.Unix(t, 0).Add(SignatureTolerance+time.Second), now) {
		return &podium.Error{Code: podium.EUNAUTHORIZED, Field: SignatureHeader, Message: "replayed: this signature was already used"}
	}
	return nil
}

var nonceRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// parseSignature splits "t=<digits>,n=<nonce>,v1=<64 hex>" (any order; n
// optional).
func parseSignature(s string) (ts, nonce, mac string, ok bool) {
	for _, part := range strings.Split(s, ",") {
		k, v, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return "", "", "", false
		}
		switch k {
		case "t":
			ts = v
		case "n":
			if !nonceRE.MatchString(v) {
				return "", "", "", false
			}
			nonce = v
		case "v1":
			mac = strings.ToLower(v)
		}
	}
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil || len(ts) > 12 || ts[0] == '+' || ts[0] == '-' {
		return "", "", "", false
	}
	if _, err := hex.DecodeString(mac); err != nil || len(mac) != 64 {
		return "", "", "", false
	}
	return ts, nonce, mac, true
}

// replayGuard remembers accepted signatures until they would be stale anyway.
// It is per process: replicas behind one load balancer each keep their own,
// and test_id idempotency still keeps a replayed record from counting twice.
type replayGuard struct {
	mu   sync.Mutex
	seen map[string]time.Time // signature -> when it goes stale
}

func newReplayGuard() *replayGuard { return &replayGuard{seen: make(map[string]time.Time)} }

// firstUse records mac and reports whether it was unseen. Expired entries
// are dropped as new ones arrive, so memory is bounded by the post rate.
func (g *replayGuard) firstUse(mac string, expires, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if exp, ok := g.seen[mac]; ok && now.Before(exp) {
		return false
	}
	if len(g.seen) >= 1024 && len(g.seen)%1024 == 0 {
		for k, exp := range g.seen {
			if !now.Before(exp) {
				delete(g.seen, k)
			}
		}
	}
	g.seen[mac] = expires
	return true
}
