package rollup

import (
	"context"
	"fmt"

	"github.com/podiumhq/podium"
)

// ProgramTables is a store's statements over its program_versions and
// round_snapshots tables, in its own SQL and driver; Programs makes them a
// podium.ProgramStore. Their errors are the store's own (EUNAVAILABLE when
// the database fails).
type ProgramTables interface {
	// InsertVersion stores v in one write transaction, in which publishers
	// of v.Program take turns, once check accepts the latest stored version
	// of v.Program (0 for none); check's error is returned as it is.
	InsertVersion(ctx context.Context, v podium.ProgramVersion, check func(latest int) error) error

	// Versions returns the stored versions of program, oldest first.
	Versions(ctx context.Context, program string) ([]podium.ProgramVersion, error)

	// InsertSnapshot stores s unless its round has a snapshot already, and
	// says whether it did.
	InsertSnapshot(ctx context.Context, s podium.StoredSnapshot) (bool, error)

	// Snapshot returns the stored snapshot of a round, and false when there
	// is none.
	Snapshot(ctx context.Context, program string, round int) (podium.StoredSnapshot, bool, error)
}

// Programs is the podium.ProgramStore of a store's tables: what both stores
// decide the same way (a version is the next one, a snapshot is frozen,
// what is not found), in the same words.
type Programs struct {
	tables ProgramTables
}

var _ podium.ProgramStore = Programs{}

// NewPrograms returns the program store of tables.
func NewPrograms(tables ProgramTables) Programs { return Programs{tables} }

// PublishProgram stores v as version v.Version of v.Program; ECONFLICT when
// that version exists or is not the next one.
func (p Programs) PublishProgram(ctx context.Context, v podium.ProgramVersion) (podium.ProgramVersion, error) {
	err := p.tables.InsertVersion(ctx, v, func(latest int) error {
		if v.Version == latest+1 {
			return nil
		}
		return podium.Errorf(podium.ECONFLICT, "program %s is at version %d; version %d cannot be published", v.Program, latest, v.Version).
			WithHint("another publish came first; check `podium program show` and publish again")
	})
	if err != nil {
		return podium.ProgramVersion{}, fmt.Errorf("publish %s: %w", v.Program, err)
	}
	return v, nil
}

// ProgramVersions returns every published version of program, oldest
// first; ENOTFOUND when there is none.
func (p Programs) ProgramVersions(ctx context.Context, program string) ([]podium.ProgramVersion, error) {
	vs, err := p.tables.Versions(ctx, program)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, podium.Errorf(podium.ENOTFOUND, "program %s was never published", program).
			WithHint("publish it with `podium program publish --program FILE --db DSN`")
	}
	return vs, nil
}

// SaveSnapshot stores a round's snapshot once; the same id again is a
// no-op and a different one is ECONFLICT.
func (p Programs) SaveSnapshot(ctx context.Context, s podium.StoredSnapshot) error {
	if saved, err := p.tables.InsertSnapshot(ctx, s); err != nil || saved {
		return err
	}
	stored, err := p.Snapshot(ctx, s.Program, s.Round)
	if err != nil {
		return err
	}
	if stored.ID != s.ID {
		return podium.Errorf(podium.ECONFLICT, "%s round %d already has snapshot %s; a snapshot is frozen once stored", s.Program, s.Round, stored.ID)
	}
	return nil
}

// Snapshot returns a round's stored snapshot; ENOTFOUND when there is none.
func (p Programs) Snapshot(ctx context.Context, program string, round int) (podium.StoredSnapshot, error) {
	s, ok, err := p.tables.Snapshot(ctx, program, round)
	if err == nil && !ok {
		return podium.StoredSnapshot{Program: program, Round: round},
			podium.Errorf(podium.ENOTFOUND, "no snapshot of %s round %d is stored", program, round).
				WithHint("take it with `podium snapshot --program FILE --round N --db DSN`")
	}
	return s, err
}
