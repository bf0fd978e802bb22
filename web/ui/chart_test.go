package ui

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestBucketFor(t *testing.T) {
	for _, tt := range []struct{ window, want time.Duration }{
		{30 * time.Minute, 5 * time.Minute},
		{3 * time.Minute, time.Minute},
		{24 * time.Hour, time.Hour},
		{48 * time.Hour, time.Hour},
		{7 * 24 * time.Hour, 3 * time.Hour},
		{30 * 24 * time.Hour, 12 * time.Hour},
		{365 * 24 * time.Hour, 7 * 24 * time.Hour},
	} {
		if got := bucketFor(tt.window); got != tt.want {
			t.Errorf("bucketFor(%s) = %s, want %s", tt.window, got, tt.want)
		}
	}
}

// TestScoreChart draws a day with a gap and a lone point: the gap splits the
// line, the lone point is a dot, and the whole drawing is a golden file.
func TestScoreChart(t *testing.T) {
	since := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	var points []point
	for i := 0; i < 24; i++ {
		p := point{At: since.Add(time.Duration(i) * time.Hour)}
		switch {
		case i < 8, i >= 12 && i < 20: // two runs of data
			p.OK, p.Success, p.Latency = true, 0.9, 0.6+float64(i%3)*0.05
			p.Total = p.Success * p.Latency
		case i == 22: // a lone test
			p.OK, p.Success, p.Latency, p.Total = true, 0.5, 0.5, 0.25
		}
		points = append(points, p)
	}
	svg := string(scoreChart("FRA", points, since, since.Add(24*time.Hour), time.Hour))
	if n := strings.Count(svg, `<polyline class="s-total"`); n != 2 {
		t.Errorf("the total is drawn as %d lines, want 2 (split by the gap)", n)
	}
	if n := strings.Count(svg, `<circle class="s-total"`); n != 1 {
		t.Errorf("the lone point is drawn as %d dots, want 1", n)
	}
	if strings.Contains(svg, "no data in this window") {
		t.Error("a chart with data says it has none")
	}
	golden := "testdata/chart.svg"
	if *update {
		if err := os.WriteFile(golden, []byte(svg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if svg != string(want) {
		t.Errorf("the chart differs from %s (go test -update rewrites it after a deliberate change)", golden)
	}

	empty := string(scoreChart("SIN", make([]point, 24), since, since.Add(24*time.Hour), time.Hour))
	if !strings.Contains(empty, "no data in this window") || strings.Contains(empty, "<polyline") {
		t.Errorf("a chart without data: %s", empty)
	}
}
