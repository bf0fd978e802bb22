package ui

import (
	"context"
	"time"

	"github.com/podiumhq/podium"
)

// Rounds is what the round pages need from the program engine. The program
// package satisfies it through a small adapter in cmd/podium.
type Rounds interface {
	// Rounds lists the program's rounds, oldest first. Rules, Distribution
	// and Report may be left out; Snapshot is set when one is stored.
	Rounds(ctx context.Context) ([]Round, error)

	// Round returns one round with everything published about it so far;
	// an ENOTFOUND error when the program has no such round.
	Round(ctx context.Context, id int) (*Round, error)

	// Projection returns the distribution the round would pay if its
	// snapshot were taken now, from the records stored so far.
	Projection(ctx context.Context, id int) (*podium.Distribution, error)
}

// Payouts reports how far a round's payout has gone.
type Payouts interface {
	// Payments returns the round's planned payments with their status,
	// sorted by recipient; an empty list when no payout is planned yet.
	Payments(ctx context.Context, round int) ([]Payment, error)
}

// Round is one round of the program as the pages show it. The artifacts are
// nil until they exist.
type Round struct {
	ID         int
	Start      time.Time
	End        time.Time
	SnapshotAt time.Time
	Window     time.Duration // the snapshot covers [SnapshotAt-Window, SnapshotAt)
	Budget     string        // base units of Token, a decimal string
	Token      podium.TokenInfo

	// Pools says in words who each pool pays, under the rules in force.
	Pools []string
	// Names maps addresses to registry names, for the tables.
	Names map[string]string

	// Rules holds every published version of the round's rules, oldest
	// first; the last one is in force.
	Rules []RulesVersion

	Snapshot     *Artifact // the frozen snapshot, canonical JSON
	Distribution *DistributionArtifact
	Report       *Report // the results report
}

// Report is a round's results report as published: a forum post in
// Markdown, the same as one HTML page, and a PNG table per region.
type Report struct {
	Markdown []byte
	HTML     []byte
	Images   []Image
}

// Image is one region's leaderboard table of a report.
type Image struct {
	Region string
	Name   string // file name, e.g. "round-1-results-fra.png"
	PNG    []byte
}

// RulesVersion is one published version of a round's rules.
type RulesVersion struct {
	ID          string // "sha256:…" of the published text
	PublishedAt time.Time
	Text        string // the program file as published (YAML)
	Canonical   string // the round's rules in canonical JSON, which hash to ID
}

// Artifact is a published file: its bytes and the id it is known by.
type Artifact struct {
	ID        string // e.g. the snapshot id, "sha256:…"
	CreatedAt time.Time
	Data      []byte
	// Stored is true for a frozen artifact; false for one computed from
	// the store on demand, which records arriving late could still change.
	Stored bool
}

// DistributionArtifact is a round's distribution, decoded for display and
// as published (JSON and CSV) for download.
type DistributionArtifact struct {
	podium.Distribution
	ID   string // "sha256:…" of JSON
	JSON []byte
	CSV  []byte
}

// Payment states, in the order a payment goes through them.
const (
	PaymentPlanned   = "planned"
	PaymentSigned    = "signed"
	PaymentSent      = "sent"
	PaymentConfirmed = "confirmed"
	PaymentFailed    = "failed"
)

// Payment is one transfer of a round's payout.
type Payment struct {
	Recipient string // the orchestrator's address
	PayTo     string // where the tokens go when not Recipient
	Amount    string // base units, a decimal string
	Status    string // one of the Payment* states
	TxHash    string // empty until signed
}

// phase names where a round stands at a given time. Results are final only
// over a frozen snapshot; before that they are provisional.
func (r *Round) phase(now time.Time) string {
	switch {
	case r.Snapshot != nil && r.Snapshot.Stored:
		return "results"
	case now.Before(r.Start):
		return "upcoming"
	case now.Before(r.SnapshotAt):
		return "running"
	default:
		return "snapshot due"
	}
}

// paid reports whether a payout is planned and every payment confirmed.
func paid(pays []Payment) bool {
	for _, p := range pays {
		if p.Status != PaymentConfirmed {
			return false
		}
	}
	return len(pays) > 0
}
