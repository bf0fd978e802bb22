package node

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Fault kinds. Each alters the real transcode or its delivery; none
// replaces it with canned output.
const (
	FaultNone    = ""
	FaultSlow    = "slow"           // answers after an extra delay
	FaultFlaky   = "flaky"          // a seeded fraction of segments fail
	FaultStale   = "stale"          // serves the previous segment's renditions
	FaultBlack   = "black"          // renditions are black
	FaultFrozen  = "frozen"         // renditions hold their first frame
	FaultWrongSz = "wrong-size"     // renditions are 3/4 of the profile's size
	FaultDrop    = "drop-rendition" // one seeded rendition per segment is left out
	FaultError   = "error"          // every segment fails after transcoding
	FaultCapped  = "capped"         // refuses every session: OrchestratorCapped
	FaultGarbage = "garbage"        // renditions are scrambled bytes
	FaultMirror  = "mirror"         // renditions are flipped left to right
	FaultCopy    = "copy-source"    // the source segment is returned as the largest rendition
	FaultUpscale = "upscale"        // renditions are made at half size and scaled up
	FaultGray    = "grayscale"      // renditions lose their colour
	FaultReorder = "reorder"        // frames swapped in pairs, the frame codes pasted back in order
	FaultMark    = "watermark"      // a translucent box over 4 % of the picture
	// FaultImpersonate claims another orchestrator's address (as the key
	// that signs results and as the ticket recipient) while signing with
	// its own key: an honest transcode under someone else's name.
	FaultImpersonate = "impersonate"
	// FaultOverclaim accepts and advertises Capacity sessions but carries
	// only Fault.Sessions in real time: the segments of the others are
	// held back by their duration (see Orchestrator.admit).
	FaultOverclaim = "overclaim"
	faultKindList  = "slow=DURATION, flaky=FRACTION, stale, black, frozen, wrong-size, drop-rendition, error, capped, garbage, mirror, " +
		"copy-source, upscale, grayscale, reorder, watermark, impersonate=ADDRESS, overclaim=SESSIONS"
)

// Fault is an orchestrator's misbehaviour, for tests and demos.
type Fault struct {
	Kind     string
	Delay    time.Duration  // slow
	Fraction float64        // flaky
	Address  common.Address // impersonate
	Sessions int            // overclaim: the sessions really carried
}

// ParseFault parses a --fault value; "" and "none" are no fault.
func ParseFault(s string) (Fault, error) {
	kind, arg, hasArg := strings.Cut(strings.TrimSpace(s), "=")
	switch kind {
	case "", "none":
		return Fault{}, nil
	case FaultSlow:
		d, err := time.ParseDuration(arg)
		if !hasArg || err != nil || d <= 0 {
			return Fault{}, fmt.Errorf("fault %q: want slow=DURATION, for example slow=1.5s", s)
		}
		return Fault{Kind: kind, Delay: d}, nil
	case FaultFlaky:
		f, err := strconv.ParseFloat(arg, 64)
		if !hasArg || err != nil || f <= 0 || f > 1 {
			return Fault{}, fmt.Errorf("fault %q: want flaky=FRACTION with 0 < FRACTION <= 1, for example flaky=0.3", s)
		}
		return Fault{Kind: kind, Fraction: f}, nil
	case FaultOverclaim:
		n, err := strconv.Atoi(arg)
		if !hasArg || err != nil || n < 1 {
			return Fault{}, fmt.Errorf("fault %q: want overclaim=SESSIONS with SESSIONS >= 1 (below --capacity), for example overclaim=2", s)
		}
		return Fault{Kind: kind, Sessions: n}, nil
	case FaultImpersonate:
		if !hasArg || !common.IsHexAddress(arg) {
			return Fault{}, fmt.Errorf("fault %q: want impersonate=ADDRESS, for example impersonate=0x00000000000000000000000000000000000000a1", s)
		}
		return Fault{Kind: kind, Address: common.HexToAddress(arg)}, nil
	case FaultStale, FaultBlack, FaultFrozen, FaultWrongSz, FaultDrop, FaultError, FaultCapped, FaultGarbage, FaultMirror,
		FaultCopy, FaultUpscale, FaultGray, FaultReorder, FaultMark:
		if hasArg {
			return Fault{}, fmt.Errorf("fault %q: %s takes no value", s, kind)
		}
		return Fault{Kind: kind}, nil
	}
	return Fault{}, fmt.Errorf("unknown fault %q; known: %s", s, faultKindList)
}

// String returns f as ParseFault reads it.
func (f Fault) String() string {
	switch f.Kind {
	case FaultNone:
		return "none"
	case FaultSlow:
		return "slow=" + f.Delay.String()
	case FaultFlaky:
		return "flaky=" + strconv.FormatFloat(f.Fraction, 'g', -1, 64)
	case FaultOverclaim:
		return "overclaim=" + strconv.Itoa(f.Sessions)
	case FaultImpersonate:
		return "impersonate=" + strings.ToLower(f.Address.Hex())
	}
	return f.Kind
}

// look returns how f alters the picture.
func (f Fault) look() Look {
	switch f.Kind {
	case FaultBlack:
		return Look{Black: true}
	case FaultFrozen:
		return Look{Frozen: true}
	case FaultMirror:
		return Look{Mirror: true}
	case FaultWrongSz:
		return Look{Shrink: 0.75}
	case FaultUpscale:
		return Look{Upscale: true}
	case FaultGray:
		return Look{Gray: true}
	case FaultReorder:
		return Look{Reorder: true}
	case FaultMark:
		return Look{Watermark: true}
	}
	return Look{}
}

// draw returns a number in [0,1) fixed by the seed, the segment and a
// purpose, so that a fault hits the same segments in every run whatever the
// order segments arrive in.
func draw(seed int64, manifestID string, seq int64, purpose string) float64 {
	h := sha256.New()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(seed))
	binary.BigEndian.PutUint64(b[8:], uint64(seq))
	h.Write(b[:])
	h.Write([]byte(manifestID))
	h.Write([]byte(purpose))
	return float64(binary.BigEndian.Uint64(h.Sum(nil))>>11) / (1 << 53)
}

// scramble overwrites data with a keystream fixed by the seed and the
// segment: same length, no longer a playable stream.
func scramble(data []byte, seed int64, manifestID string, seq int64, profile string) {
	var block [32]byte
	for i := range data {
		if i%32 == 0 {
			h := sha256.New()
			var b [24]byte
			binary.BigEndian.PutUint64(b[:8], uint64(seed))
			binary.BigEndian.PutUint64(b[8:16], uint64(seq))
			binary.BigEndian.PutUint64(b[16:], uint64(i))
			h.Write(b[:])
			h.Write([]byte(manifestID + "/" + profile))
			h.Sum(block[:0])
		}
		data[i] = block[i%32]
	}
}
