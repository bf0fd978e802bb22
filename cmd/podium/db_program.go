package main

import (
	"context"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store"
)

// programDB is a database that stores both stats and program data.
type programDB interface {
	podium.StatsStore
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
		podium.ProgramStore
	}{db, db.Programs()}, nil
}
