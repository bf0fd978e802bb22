package probe

import (
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/podiumhq/podium"
)

// capacityDir is the spool's subdirectory of capacity records (issue 19),
// one file per test as for stats records. A spool written before capacity
// records were spooled has no such directory: OpenSpool makes it, and its
// stats records read as before.
const capacityDir = "capacity"

// PutCapacity stores a capacity record durably until the leaderboard has
// it. Its TestID names it; putting the same test twice keeps one file.
func (s *Spool) PutCapacity(rec podium.Capacity) error {
	return putFile(filepath.Join(s.dir, capacityDir), rec.TestID, rec)
}

// Capacities returns the spooled capacity records, oldest test first.
func (s *Spool) Capacities() ([]podium.Capacity, error) {
	recs, err := listFiles[podium.Capacity](filepath.Join(s.dir, capacityDir))
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

// RemoveCapacity forgets a capacity record the leaderboard has stored;
// one not there is not an error.
func (s *Spool) RemoveCapacity(testID string) error {
	return remove(filepath.Join(s.dir, capacityDir), testID)
}

// RejectCapacity moves a capacity record the leaderboard refused to
// rejected/capacity/, kept for people to look at, never retried.
func (s *Spool) RejectCapacity(testID string) error {
	return reject(filepath.Join(s.dir, capacityDir), filepath.Join(s.dir, "rejected", capacityDir), testID)
}

// LatestCapacity returns when the latest spooled capacity test of addr from
// region started (zero: none waits), so that a prober restarted while the
// leaderboard is down does not test again an orchestrator whose record is
// still on its way.
func (s *Spool) LatestCapacity(addr, region string) (time.Time, error) {
	recs, err := s.Capacities()
	if err != nil {
		return time.Time{}, err
	}
	var latest int64
	for _, r := range recs {
		if strings.EqualFold(r.Orchestrator, addr) && strings.EqualFold(r.Region, region) && r.Timestamp > latest {
			latest = r.Timestamp
		}
	}
	if latest == 0 {
		return time.Time{}, nil
	}
	return time.Unix(latest, 0), nil
}
