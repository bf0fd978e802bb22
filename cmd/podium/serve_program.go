package main

import (
	"context"
	"net/http"
	"os"
	"sync"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/snapshot"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/web"
	"github.com/podiumhq/podium/web/ui"
)

// programService is what `podium serve --program FILE` adds: the round
// service that the program API and the round pages both answer from, and
// the scheduler that takes each round's snapshot on time.
type programService struct {
	rounds *round.Service
	sched  *snapshot.Scheduler
}

// newProgramService loads the program file for serve; nil when o names
// none. With --payouts the rounds carry payout progress from the plans
// and journals in that directory.
func (m *Main) newProgramService(o serveOptions, st podium.StatsStore) (*programService, error) {
	if o.program == "" {
		return nil, nil
	}
	p, text, err := program.Load(o.program)
	if err != nil {
		return nil, err
	}
	programs, locker, err := programBackend(st)
	if err != nil {
		return nil, err
	}
	var reg podium.Registry
	if o.registry != "" {
		reg = &registry.File{Path: o.registry}
	}
	svc := &round.Service{Program: p, Text: text, Stats: st, Registry: reg, Versions: programs, Now: m.Now}
	if o.payouts != "" {
		if fi, err := os.Stat(o.payouts); err != nil || !fi.IsDir() {
			return nil, podium.FieldError("--payouts", "%s is not a directory", o.payouts).
				WithHint("pass the directory where `podium payout plan --out` wrote the plans")
		}
		svc.Payouts = &ui.PlanPayouts{Dir: o.payouts, Program: p.Name}
	}
	return &programService{
		rounds: svc,
		sched: &snapshot.Scheduler{Stats: st, Programs: programs, Locker: locker, Registry: reg, Program: p,
			Now: m.Now, Logger: m.Logger.With("component", "snapshot")},
	}, nil
}

// mount adds the program API's routes; a nil service adds none.
func (ps *programService) mount(m *Main) func(*http.ServeMux) {
	if ps == nil {
		return nil
	}
	return (&web.Rounds{Service: ps.rounds, Logger: m.Logger}).Register
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
		return db.Programs(), db.Locker(), nil
	}
	programs, ok1 := st.(podium.ProgramStore)
	locker, ok2 := st.(podium.Locker)
	if !ok1 || !ok2 {
		return nil, nil, podium.Errorf(podium.EINTERNAL, "the %T store cannot hold program data", st)
	}
	return programs, locker, nil
}
