package probe

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// DefaultCapacityInterval is how often each orchestrator gets a capacity
// test from each region: once a day.
const DefaultCapacityInterval = 24 * time.Hour

// CapacitySchedule says when this region's prober may run the capacity
// test of an orchestrator. Regional probers do not talk to each other, so
// the schedule is a pure function of the time, the orchestrator and the
// region list every prober reads from the leaderboard:
//
//   - time is cut into periods of Interval, counted from the unix epoch;
//   - a period is cut into one window per region, in Regions' sorted
//     order, so two regions' windows never overlap;
//   - in its region's window an orchestrator's test starts at an offset
//     taken from a hash of its address, within the first half of the
//     window less Budget, and may start until Budget before the window
//     ends (the prober's cycles are minutes apart).
//
// A ramp ends within Budget (CapacityTest.Budget), so a test that starts
// in its window ends in it: no two regions test one orchestrator at once.
type CapacitySchedule struct {
	// Regions are every region that runs a prober; their order does not
	// matter (they are sorted), their set does.
	Regions []string
	// Region is this prober's.
	Region string
	// Interval is the period; DefaultCapacityInterval when 0.
	Interval time.Duration
	// Budget bounds one test; DefaultCapacityBudget when 0.
	Budget time.Duration
}

// Slot is one orchestrator's turn in one period: the test may start in
// [Start, Last] and ends before End.
type Slot struct {
	Start, Last, End time.Time
}

// Validate says what is wrong with the schedule: a region not in Regions,
// or windows too short for the budget.
func (s CapacitySchedule) Validate() error {
	if _, ok := s.index(); !ok {
		return fmt.Errorf("capacity schedule: region %q is not among the leaderboard's regions %s", s.Region, strings.Join(s.sorted(), ", "))
	}
	if w := s.window(); w < 2*s.budget() {
		return fmt.Errorf("capacity schedule: each of %d regions gets a %s window of the %s interval, under twice the %s budget of a test; lengthen the capacity interval",
			len(s.sorted()), w, s.interval(), s.budget())
	}
	return nil
}

// SlotAt returns the slot of orchestrator addr in the period holding t.
func (s CapacitySchedule) SlotAt(addr string, t time.Time) Slot {
	k, _ := s.index()
	p, w, b := s.interval(), s.window(), s.budget()
	period := time.Unix(0, 0).Add(t.Sub(time.Unix(0, 0)).Truncate(p)).UTC()
	if t.Before(period) { // before the epoch Truncate rounds up
		period = period.Add(-p)
	}
	win := period.Add(time.Duration(k) * w)
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(addr)))
	spread := max((w-b)/2, 1)
	start := win.Add(time.Duration(h.Sum64() % uint64(spread)))
	return Slot{Start: start, Last: win.Add(w - b), End: win.Add(w)}
}

// Window returns this region's window in the period holding t.
func (s CapacitySchedule) Window(t time.Time) (start, end time.Time) {
	sl := s.SlotAt("", t)
	return sl.End.Add(-s.window()), sl.End
}

// Due reports whether a test of addr should start at now, given when this
// prober last started one (zero: never): now is within this period's slot
// and no test started in it yet.
func (s CapacitySchedule) Due(addr string, last, now time.Time) bool {
	sl := s.SlotAt(addr, now)
	return !now.Before(sl.Start) && !now.After(sl.Last) && last.Before(sl.Start)
}

func (s CapacitySchedule) sorted() []string {
	rs := make([]string, 0, len(s.Regions))
	for _, r := range s.Regions {
		rs = append(rs, strings.ToUpper(strings.TrimSpace(r)))
	}
	slices.Sort(rs)
	return slices.Compact(rs)
}

func (s CapacitySchedule) index() (int, bool) {
	return slices.BinarySearch(s.sorted(), strings.ToUpper(strings.TrimSpace(s.Region)))
}

func (s CapacitySchedule) window() time.Duration {
	return s.interval() / time.Duration(max(len(s.sorted()), 1))
}

func (s CapacitySchedule) interval() time.Duration {
	if s.Interval > 0 {
		return s.Interval
	}
	return DefaultCapacityInterval
}

func (s CapacitySchedule) budget() time.Duration {
	if s.Budget > 0 {
		return s.Budget
	}
	return DefaultCapacityBudget
}
