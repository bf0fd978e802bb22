package main

import (
	"context"
	"net/http"
	"sync"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/snapshot"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/web"
)

// programService is what `podium serve --program FILE` adds: the program
// API and the scheduler that takes each round's snapshot on time.
type programService struct {
	rounds *web.Rounds
	sched  *snapshot.Scheduler
}

// newProgramService loads the program file for serve; nil when file is "".
func (m *Main) newProgramService(file, regFile string, st podium.StatsStore) (*programService, error) {
	if file == "" {
		return nil, nil
	}
	p, _, err := program.Load(file)
	if err != nil {
		return nil, err
	}
	programs, locker, err := programBackend(st)
	if err != nil {
		return nil, err
	}
	var reg podium.Registry
	if regFile != "" {
		reg = &registry.File{Path: regFile}
	}
	return &programService{
		rounds: &web.Rounds{Program: p, Store: programs, Stats: st, Registry: reg, Now: m.Now, Logger: m.Logger},
		sched: &snapshot.Scheduler{Stats: st, Programs: programs, Locker: locker, Registry: reg, Program: p,
			Now: m.Now, Logger: m.Logger.With("component", "snapshot")},
	}, nil
}

// mount adds the program API's routes; a nil service adds none.
func (ps *programService) mount() func(*http.ServeMux) {
	if ps == nil {
		return nil
	}
	return ps.rounds.Register
}

// start runs the snapshot scheduler until ctx ends; the returned function
// stops it and waits for it.
func (ps *programService) start(ctx context.Context) (stop func()) {
	if ps == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ps.sched.Run(ctx)
	}()
	return func() { cancel(); wg.Wait() }
}

// programBackend returns the program store and locker of the database
// behind st.
func programBackend(st podium.StatsStore) (podium.ProgramStore, podium.Locker, error) {
	if db, ok := st.(*store.DB); ok {
		if db.Postgres != nil {
			return db.Postgres, db.Postgres, nil
		}
		return db.SQLite, db.SQLite, nil
	}
	programs, ok1 := st.(podium.ProgramStore)
	locker, ok2 := st.(podium.Locker)
	if !ok1 || !ok2 {
		return nil, nil, podium.Errorf(podium.EINTERNAL, "the %T store cannot hold program data", st)
	}
	return programs, locker, nil
}
