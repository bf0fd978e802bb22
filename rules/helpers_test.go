package rules_test

import (
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/snapshot"
)

// loadProgram parses a program file of the program package's testdata.
func loadProgram(t *testing.T, name string) *podium.Program {
	t.Helper()
	p, _, err := program.Load("../program/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func parseProgram(t *testing.T, text string) *podium.Program {
	t.Helper()
	p, err := program.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func parseProgramB(b *testing.B, text string) *podium.Program {
	b.Helper()
	p, err := program.Parse([]byte(text))
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// snap builds round id's snapshot from records the way a store would: the
// records in [at − window, at), summed per orchestrator and region.
func snap(t *testing.T, p *podium.Program, id int, recs []podium.Stats, reg []podium.Orchestrator) *podium.Snapshot {
	t.Helper()
	r, err := p.Round(id)
	if err != nil {
		t.Fatal(err)
	}
	return snapAt(t, p, id, r.Snapshot.At, r.Snapshot.Window, recs, reg)
}

func snapAt(t *testing.T, p *podium.Program, id int, at time.Time, window time.Duration, recs []podium.Stats, reg []podium.Orchestrator) *podium.Snapshot {
	t.Helper()
	aggs, in := round1.Window(recs, at, window)
	s, err := snapshot.Build(p, id, at, window, aggs, in, reg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
