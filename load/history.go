package load

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/benchset"
)

// HistorySize is the size of the full history data set: 100 orchestrators
// × 10 regions × one test every 5 minutes for 7 days (docs/design.md §10).
const HistorySize = benchset.Size

// HistoryRegions are the history's ten regions: IDs that both podium (given
// them in its regions file) and leaderboard-serverless (in its seeded
// regions table) accept.
var HistoryRegions = []string{"MDW", "FRA", "SIN", "NYC", "LAX", "LON", "PRG", "SAO", "ATL", "HND"}

// HistoryEnd returns the end of the 5-minute tick of the last of the
// history's first n records: every one of them has a timestamp before it.
func HistoryEnd(n int) int64 {
	per := benchset.Orchestrators * benchset.Regions
	ticks := (n + per - 1) / per
	return benchset.Start + int64(ticks)*benchset.Interval
}

// HistoryRecord returns record i of the history: the store benchmark's
// record i (benchset.Record, deterministic, tick-major so records come
// in time order) with its region named by HistoryRegions. Taking the first
// n records gives the first n/1000 ticks of the same week.
//
// Its times are rounded to whole microseconds and its success rate to
// billionths, the fixed-point units podium sums in (podium.TimeUnit,
// RateUnit), so that podium's sums are exact and its answers can be held to
// leaderboard-serverless's float averages within 1e-10; finer inputs differ
// by podium's rounding (up to ~1e-7 in round_trip_score).
func HistoryRecord(i int) podium.Stats {
	s := benchset.Record(i)
	var r int
	fmt.Sscanf(s.Region, "R%02d", &r)
	s.Region = HistoryRegions[r]
	us := func(x float64) float64 { return math.Round(x*podium.TimeUnit) / podium.TimeUnit }
	s.SegDuration, s.RoundTripTime = us(s.SegDuration), us(s.RoundTripTime)
	s.UploadTime, s.DownloadTime, s.TranscodeTime = us(s.UploadTime), us(s.DownloadTime), us(s.TranscodeTime)
	s.SuccessRate = math.Round(s.SuccessRate*podium.RateUnit) / podium.RateUnit
	return s
}

// WriteHistory writes records [0, n) of the history to w: as JSON lines
// for `podium import` (format "jsonl"), or as rows of
// leaderboard-serverless's events table in PostgreSQL COPY text format
// (format "anchor-copy": event_time, orchestrator, region_id, payload; the
// payload is the same JSON line). regionIDs maps region names to the ids
// of the anchor's transcoding regions.
func WriteHistory(w io.Writer, n int, format string, regionIDs map[string]int) error {
	if n < 0 || n > HistorySize {
		return podium.FieldError("records", "must be 0 to %d, not %d", HistorySize, n)
	}
	if format != "jsonl" && format != "anchor-copy" {
		return podium.FieldError("format", "must be jsonl or anchor-copy, not %q", format)
	}
	if format == "anchor-copy" {
		for _, r := range HistoryRegions {
			if _, ok := regionIDs[r]; !ok {
				return podium.FieldError("region ids", "has no id for region %s", r).
					WithHint("list the anchor's ids: SELECT name, id FROM regions WHERE job_type_id = 1")
			}
		}
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	for i := range n {
		rec := HistoryRecord(i)
		line, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("encode record %d: %w", i, err)
		}
		if format == "anchor-copy" {
			ts := time.Unix(rec.Timestamp, 0).UTC().Format(time.RFC3339)
			fmt.Fprintf(bw, "%s\t%s\t%d\t%s\n", ts, rec.Orchestrator, regionIDs[rec.Region], copyEscape(string(line)))
		} else {
			bw.Write(line)
			bw.WriteByte('\n')
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write history: %w", err)
	}
	return nil
}

// copyEscape escapes a value for COPY's text format, where backslash, tab
// and newline are special.
var copyEscape = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`).Replace
