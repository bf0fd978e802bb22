package podium

import "time"

// Snapshot freezes what a round's rewards depend on (docs/design.md §5.5): the
// window's aggregates per orchestrator and region, the registry data used
// and a digest of the raw records covered. Its canonical JSON's SHA-256 is
// its id; taking it twice gives the same bytes.
type Snapshot struct {
	Program string    `json:"program"`
	Round   int       `json:"round"`
	At      time.Time `json:"at"`
	// Since and Until bound the window [Since, Until) in unix seconds.
	Since      int64           `json:"since"`
	Until      int64           `json:"until"`
	Aggregates []SnapshotEntry `json:"aggregates"`
	Registry   []RegistryEntry `json:"registry"`
	Records    RecordsDigest   `json:"records"`
	// AI holds the AI scores the round's AI pools need; nil (and absent
	// from the JSON) for a round without AI pools, whose snapshot is
	// therefore byte for byte what it was before AI pools existed.
	AI *SnapshotAI `json:"ai,omitempty"`
}

// SnapshotEntry is one orchestrator in one region: the fixed-point sums the
// rules compute from and, for people, the scores they give.
type SnapshotEntry struct {
	Aggregate
	Score Score `json:"score"`
}

// RegistryEntry is the registry data a snapshot used for one address.
type RegistryEntry struct {
	Address       string `json:"address"`
	Name          string `json:"name,omitempty"`
	PayoutAddress string `json:"payout_address,omitempty"`
}

// RecordsDigest identifies the raw records a snapshot covers: their count
// and the SHA-256 of their canonical encoding in canonical order.
type RecordsDigest struct {
	Count  int64  `json:"count"`
	Digest string `json:"digest"`
}

// Canonical returns the snapshot's canonical bytes.
func (s *Snapshot) Canonical() ([]byte, error) { return CanonicalJSON(s) }

// ID returns the snapshot's id.
func (s *Snapshot) ID() (string, error) {
	b, err := s.Canonical()
	if err != nil {
		return "", err
	}
	return ContentID(b), nil
}

// Name returns the registry name of address, or the address itself.
func (s *Snapshot) Name(address string) string {
	for _, e := range s.Registry {
		if e.Address == address && e.Name != "" {
			return e.Name
		}
	}
	return address
}

// ParseSnapshot decodes a snapshot file and checks that it is canonical,
// so its id is the hash of the file as published.
func ParseSnapshot(b []byte) (*Snapshot, error) {
	var s Snapshot
	if err := DecodeStrict(b, &s); err != nil {
		return nil, Errorf(EINVALID, "snapshot: %w", err)
	}
	c, err := s.Canonical()
	if err != nil {
		return nil, err
	}
	if string(c) != string(b) {
		return nil, Errorf(EINVALID, "snapshot file is not in canonical form; its id would not match its bytes").
			WithHint("use the file exactly as `podium snapshot --out` wrote it")
	}
	return &s, nil
}
