package main

import (
	"context"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/store"
)

// programDB is a database that stores stats, AI tests (for the snapshots
// of rounds with AI pools) and program data.
type programDB interface {
	podium.StatsStore
	podium.AIStore
	podium.ProgramStore
}

// openProgramDB opens the database dsn names for the program commands.
func (m *Main) openProgramDB(ctx context.Context, dsn string) (programDB, error) {
	db, err := store.Open(ctx, dsn, m.Logger)
	if err != nil {
		return nil, err
	}
	return struct {
		podium.StatsStore
		podium.AIStore
		podium.ProgramStore
	}{db, db, db.Programs()}, nil
}

// openProgram loads the program file and opens the database dsn names:
// what the commands that publish, show and snapshot a program start with.
// The caller closes the database.
func (m *Main) openProgram(ctx context.Context, file, dsn string) (*podium.Program, []byte, programDB, error) {
	p, text, err := program.Load(file)
	if err != nil {
		return nil, nil, nil, err
	}
	db, err := m.openProgramDB(ctx, dsn)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, text, db, nil
}
