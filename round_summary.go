package podium

import "time"

// RoundSummary is what every published description of a round starts
// with: its id, when it runs, when its snapshot is taken and over how long
// a window, and its budget in base units. The rules (RoundDoc) and the
// program API's list of rounds both embed it, so they describe a round in
// the same words; its fields come first in their JSON, in this order.
type RoundSummary struct {
	ID            int       `json:"id"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	SnapshotAt    time.Time `json:"snapshot_at"`
	WindowSeconds int64     `json:"snapshot_window_seconds"`
	Budget        string    `json:"budget"`
}

// Summary returns the round's summary, its times in UTC.
func (r *Round) Summary() RoundSummary {
	return RoundSummary{
		ID: r.ID, Start: r.Start.UTC(), End: r.End.UTC(),
		SnapshotAt: r.Snapshot.At.UTC(), WindowSeconds: int64(r.Snapshot.Window / time.Second),
		Budget: r.Budget.String(),
	}
}
