package snapshot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"sort"

	"github.com/podiumhq/podium"
)

// Digester hashes raw records in canonical order: timestamp, region,
// orchestrator, test id, then the encoding itself; each record one compact
// JSON line with an empty error list written as []. Records must be added in
// chunks of increasing, non-overlapping time spans; each chunk is sorted.
type Digester struct {
	h     hash.Hash
	count int64
	last  int64 // the latest timestamp added, to refuse chunks out of order
}

// Add hashes a chunk of records.
func (d *Digester) Add(recs []podium.Stats) error {
	if d.h == nil {
		d.h = sha256.New()
	}
	type line struct {
		key string
		b   []byte
	}
	lines := make([]line, len(recs))
	for i, r := range recs {
		if r.Errors == nil {
			r.Errors = []podium.StatsError{}
		}
		b, err := json.Marshal(r)
		if err != nil {
			return podium.Errorf(podium.EINTERNAL, "encode record: %w", err)
		}
		lines[i] = line{fmt.Sprintf("%020d\x00%s\x00%s\x00%s\x00", r.Timestamp, r.Region, r.Orchestrator, r.TestID), b}
	}
	sort.Slice(lines, func(i, j int) bool {
		if lines[i].key != lines[j].key {
			return lines[i].key < lines[j].key
		}
		return bytes.Compare(lines[i].b, lines[j].b) < 0
	})
	for _, r := range recs {
		if d.count > 0 && r.Timestamp < d.last {
			return podium.Errorf(podium.EINTERNAL, "digest: a record at %d comes after one at %d; add chunks in time order", r.Timestamp, d.last)
		}
	}
	for _, r := range recs {
		d.last = max(d.last, r.Timestamp)
	}
	for _, l := range lines {
		d.h.Write(l.b)
		d.h.Write([]byte{'\n'})
	}
	d.count += int64(len(recs))
	return nil
}

// Sum returns the count and digest of the records added.
func (d *Digester) Sum() podium.RecordsDigest {
	if d.h == nil {
		d.h = sha256.New()
	}
	return podium.RecordsDigest{Count: d.count, Digest: "sha256:" + hex.EncodeToString(d.h.Sum(nil))}
}

// Digest returns the digest of records, in any order.
func Digest(recs []podium.Stats) (string, error) {
	var d Digester
	if err := d.Add(recs); err != nil {
		return "", err
	}
	return d.Sum().Digest, nil
}
