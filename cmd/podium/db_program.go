package main

import (
	"context"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/sqlite"
)

// programDB is a database that stores both stats and program data.
type programDB interface {
	podium.StatsStore
	podium.ProgramStore
}

// openProgramDB opens the database dsn names for the program commands.
func (m *Main) openProgramDB(ctx context.Context, dsn string) (programDB, error) {
	return sqlite.Open(ctx, dsnPath(dsn), m.Logger)
}

func dsnPath(dsn string) string {
	if len(dsn) > 7 && dsn[:7] == "sqlite:" {
		return dsn[7:]
	}
	return dsn
}
