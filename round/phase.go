package round

import "time"

// Phase is where a round stands. The API and the pages use these names.
type Phase string

// The phases, in the order a round goes through them.
const (
	Upcoming Phase = "upcoming" // before its start
	Running  Phase = "running"  // between its start and its end
	Ended    Phase = "ended"    // over, its snapshot not frozen yet: results are provisional
	Final    Phase = "final"    // its snapshot is frozen: the results are final
	Paid     Phase = "paid"     // final, and every planned payment is confirmed
)

// phaseAt returns the phase of a round from start to end at now, given
// whether its snapshot is frozen and its payout fully confirmed.
func phaseAt(start, end, now time.Time, frozen, paid bool) Phase {
	switch {
	case frozen && paid:
		return Paid
	case frozen:
		return Final
	case now.Before(start):
		return Upcoming
	case now.Before(end):
		return Running
	default:
		return Ended
	}
}
