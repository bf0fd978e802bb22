package podium

import "strings"

// Region is one row of the region list: a place probers test from and the
// kind of work tested there ("transcoding" or "ai"). A place that serves
// both job types is two rows with the same ID, as in leaderboard-serverless's
// /api/regions.
type Region struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
	Type string `json:"type" yaml:"type,omitempty"`
}

// GlobalRegion is the region ID leaderboard-serverless seeds for both job
// types. A record posted for it is stored as a region of its own, like any
// other: GLOBAL is not the sum or the average of the other regions, and
// ?region=GLOBAL answers only the records posted for GLOBAL (docs/design.md
// §5.9).
const GlobalRegion = "GLOBAL"

// DefaultRegions are the three regions of the MVP program's Round 1: the
// regions of a program that names none. The leaderboard's own list (what
// /api/regions serves and a post may name) is LeaderboardRegions.
func DefaultRegions() []Region {
	return []Region{
		{ID: "MDW", Name: "North America (Chicago)", Type: JobTranscoding},
		{ID: "FRA", Name: "Europe (Frankfurt)", Type: JobTranscoding},
		{ID: "SIN", Name: "Asia (Singapore)", Type: JobTranscoding},
	}
}

// LeaderboardRegions are the regions leaderboard-serverless (commit 1150eb5)
// seeds in its reference data (migration 2_seed_ref_data), in its order and
// with its display names: GLOBAL and 21 places for transcoding, and GLOBAL,
// MDW, FRA and LAX for AI.
// They are the regions the leaderboard accepts posts for and lists at
// /api/regions unless a --regions file replaces them.
func LeaderboardRegions() []Region {
	both := map[string]bool{GlobalRegion: true, "MDW": true, "FRA": true, "LAX": true}
	var out []Region
	for _, p := range []struct{ id, name string }{
		{GlobalRegion, "Global"}, {"ATL", "Atlanta"}, {"ATL2", "Atlanta 2"},
		{"MDW", "Chicago"}, {"FRA", "Frankfurt"}, {"HOU", "Houston"},
		{"LON", "London"}, {"LAX", "Los Angeles"}, {"MAD", "Madrid"},
		{"MIA", "Miami"}, {"MOS2", "Moscow"}, {"ASH", "Nashua"},
		{"NYC", "New York City"}, {"PRG", "Prague"}, {"SJO", "San Jose"},
		{"SAO", "São Paulo"}, {"SEA", "Seattle"}, {"SIN", "Singapore"},
		{"STO", "Stockholm"}, {"SYD", "Sydney"}, {"HND", "Tokyo"},
		{"TOR", "Toronto"},
	} {
		out = append(out, Region{ID: p.id, Name: p.name, Type: JobTranscoding})
		if both[p.id] {
			out = append(out, Region{ID: p.id, Name: p.name, Type: JobAI})
		}
	}
	return out
}

// RegionsFor returns the rows of regions for one job type, without GLOBAL:
// the places a per-region view of that job type offers.
func RegionsFor(regions []Region, jobType string) []Region {
	var out []Region
	for _, r := range regions {
		if regionType(r) == jobType && !strings.EqualFold(r.ID, GlobalRegion) {
			out = append(out, r)
		}
	}
	return out
}

// regionType is r's job type; an empty Type is transcoding, as in region
// files written before AI jobs.
func regionType(r Region) string {
	if r.Type == "" {
		return JobTranscoding
	}
	return r.Type
}

// RegionSet answers whether a region ID is known, and for which job types.
type RegionSet map[string][]string

// NewRegionSet indexes regions by upper-case ID.
func NewRegionSet(regions []Region) RegionSet {
	s := make(RegionSet, len(regions))
	for _, r := range regions {
		id := strings.ToUpper(r.ID)
		s[id] = append(s[id], regionType(r))
	}
	return s
}

// Has reports whether id names a known region, of any job type.
func (s RegionSet) Has(id string) bool {
	_, ok := s[id]
	return ok
}

// Serves reports whether region id takes tests of jobType.
func (s RegionSet) Serves(id, jobType string) bool {
	for _, t := range s[id] {
		if t == jobType {
			return true
		}
	}
	return false
}

// Types lists the job types region id serves, in the order listed.
func (s RegionSet) Types(id string) []string { return s[id] }
