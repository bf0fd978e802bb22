package report_test

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/registry"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the golden file; run go test -update and review the diff\n--- got:\n%s", name, got)
	}
}

// input builds a report input from the Round 1 test week: the kickoff sees
// the week shifted one week earlier (the week before the round), the
// projection a snapshot a day before the end, the results the real one.
func input(t *testing.T, kind string) report.Input {
	t.Helper()
	p, _, err := program.Load("../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.Parse(strings.NewReader(round1.Registry))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Round(1)
	recs := round1.Records()
	at := r.Snapshot.At
	switch kind {
	case report.Kickoff:
		at = r.Start
		for i := range recs {
			recs[i].Timestamp -= int64(7 * 24 * 3600)
		}
	case report.Projection:
		at = r.Snapshot.At.Add(-24 * time.Hour)
	}
	aggs, in := round1.Window(recs, at, r.Snapshot.Window)
	s, err := snapshot.Build(p, 1, at, r.Snapshot.Window, aggs, in, reg)
	if err != nil {
		t.Fatal(err)
	}
	in2 := report.Input{Kind: kind, Program: p, Round: 1, Snapshot: s, Brink: 0.5}
	if kind == report.Results {
		in2.Payments = map[string]string{round1.Vires: "0x" + strings.Repeat("ab", 32)}
	}
	return in2
}

func TestReport(t *testing.T) {
	for _, kind := range []string{report.Kickoff, report.Projection, report.Results} {
		t.Run("OK"+kind, func(t *testing.T) {
			rep, err := report.Build(input(t, kind))
			if err != nil {
				t.Fatal(err)
			}
			md := rep.Markdown()
			golden(t, kind+".md", md)
			page, err := rep.HTML()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, kind+".html", page)
			var sizes bytes.Buffer
			for _, reg := range rep.Regions {
				b, err := rep.PNG(reg)
				if err != nil {
					t.Fatal(err)
				}
				cfg, err := png.DecodeConfig(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				if w, h := report.ImageSize(len(reg.Rows)); cfg.Width != w || cfg.Height != h {
					t.Fatalf("%s image %dx%d, want %dx%d", reg.ID, cfg.Width, cfg.Height, w, h)
				}
				fmt.Fprintf(&sizes, "%s %dx%d\n", rep.ImageName(reg.ID), cfg.Width, cfg.Height)
				if !bytes.Contains(md, []byte(rep.ImageName(reg.ID))) {
					t.Fatalf("markdown does not show %s", rep.ImageName(reg.ID))
				}
			}
			golden(t, kind+".png.txt", sizes.Bytes())
		})
	}
	t.Run("ErrResultsWrongSnapshot", func(t *testing.T) {
		in := input(t, report.Projection)
		in.Kind = report.Results
		if _, err := report.Build(in); podium.ErrorCode(err) != podium.EINVALID {
			t.Fatalf("err %v", err)
		}
	})
}

func TestDistributionCSV(t *testing.T) {
	in := input(t, report.Results)
	rep, err := report.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "distribution.csv", report.DistributionCSV(rep.Distributed, in.Snapshot.Name))
	md, err := report.DistributionMarkdown(rep.Distributed, in.Snapshot.Name)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "distribution.md", md)
}

func TestReport_Shared(t *testing.T) {
	in := input(t, report.Kickoff)
	reg, err := registry.Parse(strings.NewReader(round1.Registry +
		"0x1000000000000000000000000000000000000009,https://vires.example:8935,squatter,\n"))
	if err != nil {
		t.Fatal(err)
	}
	in.Registry = reg
	rep, err := report.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	want := "- service URI `vires.example`: vires-in-numeris (" + round1.Vires + "), squatter (0x1000000000000000000000000000000000000009)\n"
	if md := string(rep.Markdown()); !strings.Contains(md, want) {
		t.Fatalf("kickoff does not flag the shared URI (%q):\n%s", want, md)
	}
	page, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "service URI <code>vires.example</code>: vires-in-numeris ("+round1.Vires+"), squatter") {
		t.Fatalf("the HTML page does not flag the shared URI:\n%s", page)
	}
}
