package load

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func TestHistoryRecord_OK(t *testing.T) {
	seen := map[string]bool{}
	for i := range 2000 {
		s := HistoryRecord(i)
		if !reflect.DeepEqual(s, HistoryRecord(i)) {
			t.Fatal("records are not deterministic")
		}
		seen[s.Region] = true
		if s.Timestamp >= HistoryEnd(i+1) || s.Timestamp < HistoryEnd(i+1)-300 {
			t.Fatalf("record %d at %d is not in the tick ending %d", i, s.Timestamp, HistoryEnd(i+1))
		}
		for _, v := range []float64{s.SegDuration, s.RoundTripTime, s.UploadTime, s.DownloadTime, s.TranscodeTime} {
			if math.Abs(float64(podium.Micros(v))/podium.TimeUnit-v) > 1e-12 {
				t.Fatalf("record %d: %v is not whole microseconds", i, v)
			}
		}
		if math.Abs(float64(podium.RateUnits(s.SuccessRate))/podium.RateUnit-s.SuccessRate) > 1e-15 {
			t.Fatalf("record %d: success rate %v is not whole billionths", i, s.SuccessRate)
		}
	}
	if len(seen) != len(HistoryRegions) {
		t.Errorf("regions %v, want all of %v", seen, HistoryRegions)
	}
}

func TestWriteHistory_OK(t *testing.T) {
	ids := map[string]int{}
	for i, r := range HistoryRegions {
		ids[r] = 100 + i
	}
	var jl, cp bytes.Buffer
	if err := WriteHistory(&jl, 25, "jsonl", nil); err != nil {
		t.Fatal(err)
	}
	if err := WriteHistory(&cp, 25, "anchor-copy", ids); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(jl.String(), "\n"), "\n")
	rows := bufio.NewScanner(&cp)
	for i, line := range lines {
		var s podium.Stats
		if err := json.Unmarshal([]byte(line), &s); err != nil || !reflect.DeepEqual(s, HistoryRecord(i)) {
			t.Fatalf("line %d: %v, %+v", i, err, s)
		}
		if !rows.Scan() {
			t.Fatalf("COPY has %d rows, want %d", i, len(lines))
		}
		f := strings.Split(rows.Text(), "\t")
		want := []string{time.Unix(s.Timestamp, 0).UTC().Format(time.RFC3339), s.Orchestrator, strconv.Itoa(ids[s.Region]), line}
		if !slices.Equal(f, want) {
			t.Fatalf("row %d = %q, want %q", i, f, want)
		}
	}
	if rows.Scan() {
		t.Fatal("COPY has more rows than records")
	}
}

func TestWriteHistory_Err(t *testing.T) {
	for _, tc := range []struct {
		n      int
		format string
		ids    map[string]int
	}{
		{-1, "jsonl", nil}, {HistorySize + 1, "jsonl", nil}, {1, "csv", nil}, {1, "anchor-copy", map[string]int{"FRA": 1}},
	} {
		var e *podium.Error
		if err := WriteHistory(&bytes.Buffer{}, tc.n, tc.format, tc.ids); err == nil || !errors.As(err, &e) || e.Code != podium.EINVALID {
			t.Errorf("%d %s %v: got %v, want EINVALID", tc.n, tc.format, tc.ids, err)
		}
	}
}

func TestCopyEscape(t *testing.T) {
	if got := copyEscape("a\\b\tc\nd"); got != `a\\b\tc\nd` {
		t.Errorf("copyEscape = %q", got)
	}
}
