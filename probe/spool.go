package probe

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/durable"
)

// Spool keeps records on disk from before their first post until the
// leaderboard has acknowledged them: one file per record, written to a
// temporary name, fsync'd, renamed into place and the directory fsync'd, so a
// crash at any point leaves either no file or a whole one. Records the
// leaderboard refuses as malformed are moved to the rejected/ subdirectory,
// kept for people to look at, never retried. Tests of the cycle running
// wait in held/ until the cycle judges them (Hold), so that a crash or a
// stop mid-cycle loses none. Capacity records wait in capacity/ the same way
// (spool_capacity.go), so a spool written before they were spooled reads
// unchanged.
type Spool struct {
	dir string
}

const spoolExt = ".json"

// heldDir is the subdirectory of tests waiting for their cycle's judgement.
const heldDir = "held"

// OpenSpool opens (creating if needed) the spool in dir and removes the
// temporary files a crash may have left.
func OpenSpool(dir string) (*Spool, error) {
	if dir == "" {
		return nil, podium.FieldError("spool", "is required").WithHint("pass --spool DIR, a directory the prober may write")
	}
	for _, sub := range []string{"rejected", heldDir, capacityDir, filepath.Join("rejected", capacityDir)} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("open spool: %w", err)
		}
	}
	tmps, err := filepath.Glob(filepath.Join(dir, "*.tmp"))
	if err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	heldTmps, err := filepath.Glob(filepath.Join(dir, heldDir, "*.tmp"))
	if err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	capTmps, err := filepath.Glob(filepath.Join(dir, capacityDir, "*.tmp"))
	if err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	tmps = append(append(tmps, heldTmps...), capTmps...)
	for _, t := range tmps {
		if err := os.Remove(t); err != nil {
			return nil, fmt.Errorf("open spool: %w", err)
		}
	}
	return &Spool{dir: dir}, nil
}

// Dir returns the spool's directory.
func (s *Spool) Dir() string { return s.dir }

// Put stores rec durably. Its TestID names it; putting the same test twice
// keeps one file.
func (s *Spool) Put(rec podium.Stats) error { return s.put(s.dir, rec) }

// Hold stores rec durably in held/ until its cycle has judged it (Unhold).
func (s *Spool) Hold(rec podium.Stats) error { return s.put(filepath.Join(s.dir, heldDir), rec) }

func (s *Spool) put(dir string, rec podium.Stats) error { return putFile(dir, rec.TestID, rec) }

// putFile writes rec, the record of test testID, to dir atomically.
func putFile(dir, testID string, rec any) error {
	if testID == "" {
		return podium.FieldError("test_id", "is required to spool a record")
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("spool %s: %w", testID, err)
	}
	final := filepath.Join(dir, fileName(testID))
	tmp := final + ".tmp"
	if err := durable.WriteFile(tmp, b); err != nil {
		return fmt.Errorf("spool %s: %w", testID, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("spool %s: %w", testID, err)
	}
	if err := durable.SyncDir(dir); err != nil {
		return fmt.Errorf("spool %s: %w", testID, err)
	}
	return nil
}

// List returns the spooled records, oldest test first.
func (s *Spool) List() ([]podium.Stats, error) { return list(s.dir) }

// Held returns the held records, oldest test first.
func (s *Spool) Held() ([]podium.Stats, error) { return list(filepath.Join(s.dir, heldDir)) }

func list(dir string) ([]podium.Stats, error) {
	recs, err := listFiles[podium.Stats](dir)
	if err != nil {
		return nil, err
	}
	sort.Slice(recs, func(i, j int) bool {
		if recs[i].Timestamp != recs[j].Timestamp {
			return recs[i].Timestamp < recs[j].Timestamp
		}
		return recs[i].TestID < recs[j].TestID
	})
	return recs, nil
}

// listFiles reads every record file of dir, in no particular order.
func listFiles[T any](dir string) ([]T, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*"+spoolExt))
	if err != nil {
		return nil, fmt.Errorf("list spool: %w", err)
	}
	recs := make([]T, 0, len(names))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if errors.Is(err, fs.ErrNotExist) {
			continue // sent and removed meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("list spool: %w", err)
		}
		var rec T
		if err := json.Unmarshal(b, &rec); err != nil {
			// Not a file this package wrote (those are whole): say
			// which, so that a person can look and move it aside.
			return nil, fmt.Errorf("list spool: %s is not a spooled record (%w); move it out of the spool directory and start again", n, err)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// Len returns the number of records waiting to be posted, stats and
// capacity records both.
func (s *Spool) Len() (int, error) {
	names, err := filepath.Glob(filepath.Join(s.dir, "*"+spoolExt))
	if err != nil {
		return 0, err
	}
	caps, err := filepath.Glob(filepath.Join(s.dir, capacityDir, "*"+spoolExt))
	return len(names) + len(caps), err
}

// Remove forgets a record the leaderboard has stored. Removing one that is
// not there is not an error: a record may be acknowledged twice.
func (s *Spool) Remove(testID string) error { return remove(s.dir, testID) }

// Unhold forgets a held record once its cycle has judged it (and, to post
// it, Put it).
func (s *Spool) Unhold(testID string) error { return remove(filepath.Join(s.dir, heldDir), testID) }

func remove(dir, testID string) error {
	err := os.Remove(filepath.Join(dir, fileName(testID)))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("unspool %s: %w", testID, err)
	}
	return durable.SyncDir(dir)
}

// Reject moves a record the leaderboard refused to rejected/.
func (s *Spool) Reject(testID string) error {
	return reject(s.dir, filepath.Join(s.dir, "rejected"), testID)
}

// reject moves test testID's file from dir to the directory to.
func reject(dir, to, testID string) error {
	name := fileName(testID)
	if err := os.Rename(filepath.Join(dir, name), filepath.Join(to, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reject %s: %w", testID, err)
	}
	if err := durable.SyncDir(to); err != nil {
		return fmt.Errorf("reject %s: %w", testID, err)
	}
	return durable.SyncDir(dir)
}

// fileName names a record's file by a hash of its test ID, so no test ID can
// reach outside the directory.
func fileName(testID string) string {
	h := sha256.Sum256([]byte(testID))
	return strings.ToLower(hex.EncodeToString(h[:16])) + spoolExt
}
