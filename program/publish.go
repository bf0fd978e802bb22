package program

import (
	"fmt"
	"time"

	"github.com/podiumhq/podium"
)

// Warnings lists what is allowed in a program file but will stop a later
// step (a payout needs a real admin address).
func Warnings(p *podium.Program) []string {
	var w []string
	if p.Admin == "" {
		w = append(w, "admin is not set; a payout needs the account that holds the grant")
	} else if !podium.IsAddress(p.Admin) {
		w = append(w, fmt.Sprintf("admin %q is not an address; a payout needs the account that holds the grant", p.Admin))
	}
	return w
}

// CheckPublish decides whether next may be published at now when prev is
// the latest published version (nil when none was). A round's first rules
// may come any time before it starts; a change to them (or removing the
// round) must come at least p.Notice before its start, and never once it
// has started. Rules are compared by their canonical form, so reformatting
// the file or editing comments is not a change.
func CheckPublish(prev, next *podium.Program, now time.Time) error {
	if prev != nil && prev.Name != next.Name {
		return podium.Errorf(podium.ECONFLICT, "program is %q but the published program is %q", next.Name, prev.Name).
			WithHint("a new program needs its own name; use the published name to change this one")
	}
	for _, r := range next.Rounds {
		var old *podium.Round
		if prev != nil {
			old, _ = prev.Round(r.ID)
		}
		if old == nil {
			if !now.Before(r.Start) {
				return podium.Errorf(podium.ECONFLICT, "round %d started at %s; its first rules had to be published before then", r.ID, stamp(r.Start))
			}
			continue
		}
		same, err := sameRules(prev, next, r.ID)
		if err != nil {
			return err
		}
		if !same {
			if err := changeAllowed(prev.Notice, r.ID, r.Start, old.Start, now); err != nil {
				return err
			}
		}
	}
	if prev != nil {
		for _, old := range prev.Rounds {
			if _, err := next.Round(old.ID); err != nil {
				if err := changeAllowed(prev.Notice, old.ID, old.Start, old.Start, now); err != nil {
					return fmt.Errorf("removing round %d: %w", old.ID, err)
				}
			}
		}
	}
	return nil
}

// changeAllowed checks the notice rule for a change to round id. The notice
// counts from the earlier of the old and new start, so a change cannot
// escape the rule by moving the start later.
func changeAllowed(notice time.Duration, id int, start, oldStart time.Time, now time.Time) error {
	if oldStart.Before(start) {
		start = oldStart
	}
	if !now.Before(start) {
		return podium.Errorf(podium.ECONFLICT, "round %d started at %s; its rules can no longer change", id, stamp(start)).
			WithHint("put the change in a later round")
	}
	if deadline := start.Add(-notice); now.After(deadline) {
		return podium.Errorf(podium.ECONFLICT, "a change to round %d's rules must be published at least %s before it starts, by %s; it is now %s before",
			id, notice, stamp(deadline), start.Sub(now).Round(time.Minute)).
			WithHint("put the change in a later round, or keep this round's rules as published")
	}
	return nil
}

func sameRules(a, b *podium.Program, id int) (bool, error) {
	ra, err := a.RulesID(id)
	if err != nil {
		return false, err
	}
	rb, err := b.RulesID(id)
	if err != nil {
		return false, err
	}
	return ra == rb, nil
}
