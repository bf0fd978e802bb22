package ui

import (
	"context"

	"github.com/podiumhq/podium/round"
)

// Rounds is what the round pages need of the program: the round service
// (round.Service), which the API answers from too, so the pages and the
// API cannot disagree about a round.
type Rounds interface {
	// Rounds lists the program's rounds, oldest first, with their phases.
	Rounds(ctx context.Context) ([]round.Round, error)

	// Round returns one round with everything published about it so far;
	// an ENOTFOUND error when the program has no such round.
	Round(ctx context.Context, id int) (*round.Round, error)

	// Projection returns what the round would pay if its snapshot were
	// taken now, from the records stored so far.
	Projection(ctx context.Context, id int) (*round.Projection, error)

	// TracksPayouts reports whether payout progress is known here.
	TracksPayouts() bool
}
