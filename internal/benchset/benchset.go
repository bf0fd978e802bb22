// Package benchset is the benchmark data set of docs/design.md §10: 100
// orchestrators × 10 regions × one test every 5 minutes for 7 days =
// 2,016,000 records, made the same way by the store benchmarks and by the
// load generator's side-by-side runs, so both measure the same records.
package benchset

import (
	"fmt"

	"github.com/podiumhq/podium"
)

// The data set's shape.
const (
	Orchestrators = 100
	Regions       = 10
	Interval      = 300
	Days          = 7
	Ticks         = Days * 86400 / Interval
	Size          = Orchestrators * Regions * Ticks
	// Start is the first test's time: not aligned to any bucket, as a
	// real leaderboard query's window is not. It is a week before a
	// Monday noon UTC (1,700,481,600).
	Start = 1_700_481_600 - Days*86400 + 1234
)

// Region returns the ID of benchmark region r.
func Region(r int) string { return fmt.Sprintf("R%02d", r) }

// Orchestrator returns the address of benchmark orchestrator i.
func Orchestrator(i int) string { return fmt.Sprintf("0x%040x", 0xa0000+i) }

// Record returns record i of the data set: tick-major, so records come in
// time order, with fractional values drawn from a hash of i.
func Record(i int) podium.Stats {
	series := i % (Orchestrators * Regions)
	tick := i / (Orchestrators * Regions)
	h := splitmix(uint64(i))
	next := func(n uint64) uint64 { h = splitmix(h); return h % n }
	unit := func() float64 { return float64(next(1<<20)) / (1 << 20) }
	s := podium.Stats{
		Region: Region(series % Regions), Orchestrator: Orchestrator(series / Regions),
		Timestamp:    Start + int64(tick)*Interval + int64(next(60)),
		SegmentsSent: 15, SegmentsReceived: 45,
		Errors: []podium.StatsError{},
	}
	s.SuccessRate = float64(next(46)) / 45
	s.SegDuration = 2 + unit()*0.01
	s.UploadTime, s.DownloadTime, s.TranscodeTime = unit(), unit(), unit()
	s.RoundTripTime = s.UploadTime + s.DownloadTime + s.TranscodeTime
	s.VerifiedRenditions = 45
	s.TestID = fmt.Sprintf("b%07d", i)
	return s
}

// splitmix is SplitMix64's mixing step: a cheap, good hash of x.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
