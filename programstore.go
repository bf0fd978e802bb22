package podium

import (
	"context"
	"time"
)

// ProgramVersion is one published version of a program file: its text as
// published, its hash and when it was published.
type ProgramVersion struct {
	Program     string    `json:"program"`
	Version     int       `json:"version"` // 1, 2, ... in publication order
	Hash        string    `json:"hash"`    // ContentID of Text
	PublishedAt time.Time `json:"published_at"`
	Text        []byte    `json:"-"`
}

// StoredSnapshot is a snapshot as stored: its canonical bytes and id.
type StoredSnapshot struct {
	Program string    `json:"program"`
	Round   int       `json:"round"`
	ID      string    `json:"id"`
	TakenAt time.Time `json:"taken_at"`
	Body    []byte    `json:"-"`
}

// ProgramStore keeps published program versions and taken snapshots.
// Implementations: sqlite and postgres.
type ProgramStore interface {
	// PublishProgram stores v as version v.Version of v.Program, which
	// must be the next one (1 for the first). Whether the change is allowed
	// is decided before (program.CheckPublish) against the latest version,
	// so a publish that raced another fails with ECONFLICT.
	PublishProgram(ctx context.Context, v ProgramVersion) (ProgramVersion, error)

	// ProgramVersions returns every published version of program, oldest
	// first; ENOTFOUND when none was published.
	ProgramVersions(ctx context.Context, program string) ([]ProgramVersion, error)

	// SaveSnapshot stores a round's snapshot once. Saving the same bytes
	// again is a no-op; different bytes for a stored round fail with
	// ECONFLICT, since a stored snapshot is frozen.
	SaveSnapshot(ctx context.Context, s StoredSnapshot) error

	// Snapshot returns a round's stored snapshot; ENOTFOUND when none.
	Snapshot(ctx context.Context, program string, round int) (StoredSnapshot, error)
}
