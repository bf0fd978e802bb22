package podium

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Key identifies a record for idempotent storage: storing a record whose Key
// is already stored is a no-op. It is the record's TestID when it has one.
// Records without one (Livepeer's stream-tester sends none) are keyed by
// content: "sha256:" followed by the lowercase hex SHA-256 of the record's
// canonical JSON, so posting the same record twice, or importing the same
// file twice, stores it once.
//
// The canonical JSON is encoding/json's output for the record with TestID
// empty and a nil Errors list written as []: fields in struct order, numbers
// in Go's shortest round-trip form. Two records that differ in any field get
// different keys. Key is meant for normalized records (see Normalize), so
// that "0xAB…" and "0xab…" are the same record.
func (s Stats) Key() string {
	if s.TestID != "" {
		return s.TestID
	}
	if s.Errors == nil {
		s.Errors = []StatsError{}
	}
	b, err := json.Marshal(s)
	if err != nil {
		// Only NaN or ±Inf fail to encode, and Normalize refuses both; such
		// a record still gets a stable key from its Go syntax.
		b = []byte(fmt.Sprintf("%#v", s))
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
