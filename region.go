package podium

import "strings"

// Region is a place probers test from. ID is short and upper case ("FRA");
// Type is the kind of work tested there ("transcoding").
type Region struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
	Type string `json:"type" yaml:"type,omitempty"`
}

// DefaultRegions are the three regions of the MVP program's Round 1.
func DefaultRegions() []Region {
	return []Region{
		{ID: "MDW", Name: "North America (Chicago)", Type: "transcoding"},
		{ID: "FRA", Name: "Europe (Frankfurt)", Type: "transcoding"},
		{ID: "SIN", Name: "Asia (Singapore)", Type: "transcoding"},
	}
}

// RegionSet answers whether a region ID is known.
type RegionSet map[string]Region

// NewRegionSet indexes regions by upper-case ID.
func NewRegionSet(regions []Region) RegionSet {
	s := make(RegionSet, len(regions))
	for _, r := range regions {
		s[strings.ToUpper(r.ID)] = r
	}
	return s
}

// Has reports whether id names a known region.
func (s RegionSet) Has(id string) bool {
	_, ok := s[id]
	return ok
}
