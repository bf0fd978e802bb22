package rollup

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/podiumhq/podium"
)

// Record is a stats record ready to insert: its key, its errors as JSON and
// its fixed-point values.
type Record struct {
	podium.Stats
	Key    string
	Errors string
	Agg    podium.Aggregate
}

// Prepare checks recs for what a store needs (a timestamp in (0, MaxTime)),
// computes their keys and drops repeats of a key within recs, keeping the
// first. The error names the record at fault.
func Prepare(recs []podium.Stats) ([]Record, error) {
	out := make([]Record, 0, len(recs))
	seen := make(map[string]bool, len(recs))
	for i, s := range recs {
		if s.Timestamp <= 0 || s.Timestamp >= MaxTime {
			return nil, &podium.Error{Code: podium.EINVALID, Field: "timestamp",
				Message: fmt.Sprintf("record %d: %d is not a positive unix time in seconds", i, s.Timestamp)}
		}
		if s.Orchestrator == "" || s.Region == "" {
			return nil, &podium.Error{Code: podium.EINVALID, Field: "orchestrator",
				Message: fmt.Sprintf("record %d: orchestrator and region are required", i)}
		}
		k := s.Key()
		if seen[k] {
			continue
		}
		seen[k] = true
		errs, err := json.Marshal(s.Errors)
		if err != nil {
			return nil, &podium.Error{Code: podium.EINVALID, Field: "errors",
				Message: fmt.Sprintf("record %d: cannot encode", i), Err: err}
		}
		out = append(out, Record{Stats: s, Key: k, Errors: string(errs), Agg: s.Aggregate()})
	}
	return out, nil
}

// DecodeErrors parses a stored errors column.
func DecodeErrors(s string) ([]podium.StatsError, error) {
	var errs []podium.StatsError
	if err := json.Unmarshal([]byte(s), &errs); err != nil {
		return nil, fmt.Errorf("decode stored errors %q: %w", s, err)
	}
	return errs, nil
}

// RawColumns are the stats columns RawSQL selects after orchestrator and
// region, in the order ScanRaw reads them.
const RawColumns = "s.ts, s.test_id, s.segments_sent, s.segments_received, s.success_rate, " +
	"s.seg_duration, s.upload_time, s.download_time, s.transcode_time, s.round_trip_time, " +
	"s.errors, s.verified_renditions, s.verification_failures, " + CostColumns

// CostColumns are a record's cost (podium.StatsCost): NULL for an unpaid
// test, so a NULL ticket count means no cost.
const CostColumns = "s.cost_tickets, s.cost_face_value, s.cost_ev"

// CostValues returns the values of CostColumns for s: nil for an unpaid
// test.
func CostValues(s podium.Stats) (tickets *int64, face, ev *string) {
	if s.Cost == nil {
		return nil, nil, nil
	}
	n := int64(s.Cost.Tickets)
	return &n, &s.Cost.FaceValue, &s.Cost.ExpectedValue
}

// scanCost makes a cost of scanned CostColumns; nil when tickets is NULL.
func scanCost(tickets *int64, face, ev *string) (*podium.StatsCost, error) {
	if tickets == nil {
		return nil, nil
	}
	if face == nil || ev == nil {
		return nil, fmt.Errorf("stored cost of %d tickets lacks its face or expected value", *tickets)
	}
	return &podium.StatsCost{Tickets: int(*tickets), FaceValue: *face, ExpectedValue: *ev}, nil
}

// RawSQL returns the query listing q's records newest first, ties broken by
// region, orchestrator and key (see podium.StatsStore.RawStats).
func RawSQL(d Dialect, q podium.StatsQuery) (string, []any) {
	since, until := Clamp(q.Since, q.Until)
	b := &builder{d: d}
	where := fmt.Sprintf("s.ts >= %s AND s.ts < %s", b.arg(since), b.arg(until))
	if q.Orchestrator != "" {
		where += " AND se.orchestrator = " + b.arg(q.Orchestrator)
	}
	if q.Region != "" {
		where += " AND se.region = " + b.arg(q.Region)
	}
	query := "SELECT se.orchestrator, se.region, " + RawColumns +
		" FROM stats s JOIN series se ON se.id = s.series WHERE " + where +
		" ORDER BY s.ts DESC, se.region" + d.Collate + ", se.orchestrator" + d.Collate + ", s.record_key" + d.Collate
	if q.Limit > 0 {
		query += " LIMIT " + b.arg(q.Limit)
	}
	return query, b.args
}

// ScanRaw reads one row of RawSQL.
func ScanRaw(scan Scanner) (podium.Stats, error) {
	var s podium.Stats
	var errs string
	var sent, recv, verified, failures int64
	var tickets *int64
	var face, ev *string
	err := scan(&s.Orchestrator, &s.Region, &s.Timestamp, &s.TestID, &sent, &recv,
		&s.SuccessRate, &s.SegDuration, &s.UploadTime, &s.DownloadTime, &s.TranscodeTime,
		&s.RoundTripTime, &errs, &verified, &failures, &tickets, &face, &ev)
	if err != nil {
		return s, err
	}
	if s.Cost, err = scanCost(tickets, face, ev); err != nil {
		return s, err
	}
	s.SegmentsSent, s.SegmentsReceived = int(sent), int(recv)
	s.VerifiedRenditions, s.VerificationFailures = int(verified), int(failures)
	s.Errors, err = DecodeErrors(errs)
	return s, err
}

// CellArgs returns cell c with sums a as the values of a rollups row:
// width, bucket, series, tests and the SumColumns.
func CellArgs(c Cell, a podium.Aggregate) []any {
	v := CellValues(c, a)
	args := make([]any, len(v))
	for i, x := range v {
		args[i] = x
	}
	return args
}

// CellColumns is the number of values in a rollups row (see CellValues).
const CellColumns = 14

// CellValues is CellArgs without boxing, for a store that sends each column
// of many cells as one array.
func CellValues(c Cell, a podium.Aggregate) [CellColumns]int64 {
	return [CellColumns]int64{c.Width, c.Bucket, c.Series, a.Tests, a.SumSegDuration, a.SumRoundTrip,
		a.SumSuccessRate, a.SumUpload, a.SumTranscode, a.SumDownload, a.SegmentsSent,
		a.SegmentsReceived, a.VerifiedRenditions, a.VerificationFailures}
}

// RebuildSQL returns the statements that recompute every rollup from the raw
// records (after a bulk load, or to check the incremental ones). Rows are
// written in key order, so that on PostgreSQL a bucket's rows share pages.
// pack, when not "", is a function turning the tests count and the
// SumColumns' sums into the rollups' single sums column (SQLite's layout).
func RebuildSQL(d Dialect, pack string) []string {
	stmts := []string{"DELETE FROM rollups"}
	b := &builder{d: d}
	for _, w := range Widths {
		cols, sums := "tests, "+join(SumColumns), b.sums("1")
		if pack != "" {
			cols, sums = "sums", pack+"("+sums+")"
		}
		stmts = append(stmts, fmt.Sprintf(
			"INSERT INTO rollups (width, bucket, series, %s) SELECT %d, ts / %d * %d, series, %s FROM stats GROUP BY ts / %d, series ORDER BY 2, 3",
			cols, w, w, w, sums, w))
	}
	return stmts
}

func join(s []string) string { return strings.Join(s, ", ") }
