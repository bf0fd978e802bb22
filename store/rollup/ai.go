package rollup

// AI tests are stored apart from transcoding tests (ai_stats), with their
// own rollups (ai_rollups: sums per pipeline, model, orchestrator, region
// and bucket) and a histogram of the successful tests' round trips
// (ai_medians: counts per pipeline, model, region, bucket and rtt bin), so
// that the leaderboard's AI median is exact and reads only the records of
// the bin that holds it. Both are written in the transaction that stores
// the records, so every answer counts exactly the stored records. The SQL is
// shared by both stores; each runs it through an AIConn.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/podiumhq/podium"
)

// AIWidths are the bucket widths of the AI rollups and histograms, in
// seconds: a window reads its partial edge hours raw, then whole hours up
// to the first whole day, whole days, and whole hours after the last.
var AIWidths = []int64{3600, 86400}

// aiBinShift sets the histogram's resolution: a bin is a round trip's IEEE
// 754 bits shifted right by it, which orders bins as the positive values
// they hold. 45 keeps 7 bits of mantissa: 128 bins per doubling, each
// about 0.5% wide.
const aiBinShift = 45

// AIBin returns the histogram bin of a positive round trip.
func AIBin(rtt float64) int64 { return int64(math.Float64bits(rtt) >> aiBinShift) }

// AICounted reports whether the median counts s: it succeeded (success rate
// 1) and its round trip is not 0, the leaderboard's filter.
func AICounted(s podium.Stats) bool { return s.SuccessRate == 1 && s.RoundTripTime != 0 }

// AIConn runs SQL in a store: a transaction for writes, the pool for reads.
type AIConn interface {
	Query(ctx context.Context, query string, args ...any) (AIRows, error)
	Exec(ctx context.Context, query string, args ...any) error
}

// AIRows is a result set of an AIConn (pgx.Rows satisfies it).
type AIRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// AIRecord is an AI record ready to insert.
type AIRecord struct {
	podium.Stats
	Key    string
	Errors string
	Agg    podium.AIAggregate
	// Bin is the record's histogram bin, or nil when the median does not
	// count it (AICounted).
	Bin *int64
}

// SplitAI separates the AI records of recs (podium.Stats.IsAI) from the
// others, keeping their order.
func SplitAI(recs []podium.Stats) (ai, other []podium.Stats) {
	for _, s := range recs {
		if s.IsAI() {
			ai = append(ai, s)
		} else {
			other = append(other, s)
		}
	}
	return ai, other
}

// PrepareAI checks AI records as Prepare checks records, computes their
// keys and drops repeats of a key within recs, keeping the first.
func PrepareAI(recs []podium.Stats) ([]AIRecord, error) {
	out := make([]AIRecord, 0, len(recs))
	seen := make(map[string]bool, len(recs))
	for i, s := range recs {
		if s.Timestamp <= 0 || s.Timestamp >= MaxTime {
			return nil, &podium.Error{Code: podium.EINVALID, Field: "timestamp",
				Message: fmt.Sprintf("record %d: %d is not a positive unix time in seconds", i, s.Timestamp)}
		}
		if s.Orchestrator == "" || s.Region == "" || !s.IsAI() {
			return nil, &podium.Error{Code: podium.EINVALID, Field: "orchestrator",
				Message: fmt.Sprintf("record %d: orchestrator, region, pipeline and model are required", i)}
		}
		k := s.Key()
		if seen[k] {
			continue
		}
		seen[k] = true
		if s.Errors == nil {
			s.Errors = []podium.StatsError{}
		}
		errs, err := json.Marshal(s.Errors)
		if err != nil {
			return nil, &podium.Error{Code: podium.EINVALID, Field: "errors",
				Message: fmt.Sprintf("record %d: cannot encode", i), Err: err}
		}
		r := AIRecord{Stats: s, Key: k, Errors: string(errs), Agg: podium.AIAggregateOf(s)}
		if AICounted(s) {
			b := AIBin(s.RoundTripTime)
			r.Bin = &b
		}
		out = append(out, r)
	}
	return out, nil
}

// aiColumns are the columns of an ai_stats row AddAI writes, in the order
// of aiValues.
const aiColumns = "record_key, pipeline, model, orchestrator, region, ts, test_id, success_rate, " +
	"round_trip_time, model_is_warm, errors, input_parameters, response_payload, success_rate_e9, " +
	"round_trip_ns, rtt_bin, received_at, cost_tickets, cost_face_value, cost_ev"

func aiValues(r *AIRecord, receivedAt int64) []any {
	warm := int64(0)
	if r.ModelIsWarm {
		warm = 1
	}
	tickets, face, ev := CostValues(r.Stats)
	return []any{r.Key, r.Pipeline, r.Model, r.Orchestrator, r.Region, r.Timestamp, r.TestID,
		r.SuccessRate, r.RoundTripTime, warm, r.Errors, r.InputParameters, r.ResponsePayload,
		r.Agg.SumSuccessRate, r.Agg.SumRoundTrip, r.Bin, receivedAt, tickets, face, ev}
}

// aiCell is one AI rollup row; medCell one histogram row.
type aiCell struct {
	width, bucket                         int64
	pipeline, model, orchestrator, region string
}

type medCell struct {
	width, bucket           int64
	pipeline, model, region string
	bin                     int64
}

// AddAI inserts recs in tx, chunk rows a statement, skipping keys already
// stored, adds the new ones to their rollups and histograms, and returns
// how many were new. Rows and cells are written in key order, so that
// concurrent writers cannot deadlock.
func AddAI(ctx context.Context, tx AIConn, d Dialect, chunk int, recs []AIRecord, receivedAt int64) (int, error) {
	sorted := make([]*AIRecord, len(recs))
	for i := range recs {
		sorted[i] = &recs[i]
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	byKey := make(map[string]*AIRecord, len(recs))
	for _, r := range sorted {
		byKey[r.Key] = r
	}
	sums := make(map[aiCell]podium.AIAggregate)
	bins := make(map[medCell]int64)
	added := 0
	for rows := sorted; len(rows) > 0; {
		part := rows[:min(len(rows), chunk)]
		rows = rows[len(part):]
		b := &builder{d: d}
		var vals []string
		for _, r := range part {
			v := aiValues(r, receivedAt)
			ph := make([]string, len(v))
			for i, x := range v {
				ph[i] = b.arg(x)
			}
			vals = append(vals, "("+strings.Join(ph, ", ")+")")
		}
		query := "INSERT INTO ai_stats (" + aiColumns + ") VALUES " + strings.Join(vals, ", ") +
			" ON CONFLICT (record_key) DO NOTHING RETURNING record_key"
		keys, err := queryStrings(ctx, tx, query, b.args...)
		if err != nil {
			return 0, fmt.Errorf("insert ai stats: %w", err)
		}
		for _, k := range keys {
			r := byKey[k]
			if r == nil {
				return 0, fmt.Errorf("insert ai stats: the database returned a key not inserted: %q", k)
			}
			added++
			for _, w := range AIWidths {
				bucket := Floor(r.Timestamp, w)
				c := aiCell{w, bucket, r.Pipeline, r.Model, r.Orchestrator, r.Region}
				sums[c] = sums[c].Add(r.Agg)
				if r.Bin != nil {
					bins[medCell{w, bucket, r.Pipeline, r.Model, r.Region, *r.Bin}]++
				}
			}
		}
	}
	if err := writeAICells(ctx, tx, d, chunk, sums); err != nil {
		return 0, err
	}
	if err := writeMedCells(ctx, tx, d, chunk, bins); err != nil {
		return 0, err
	}
	return added, nil
}

func writeAICells(ctx context.Context, tx AIConn, d Dialect, chunk int, sums map[aiCell]podium.AIAggregate) error {
	cells := make([]aiCell, 0, len(sums))
	for c := range sums {
		cells = append(cells, c)
	}
	sort.Slice(cells, func(i, j int) bool {
		a, b := cells[i], cells[j]
		if a.width != b.width {
			return a.width < b.width
		}
		if a.bucket != b.bucket {
			return a.bucket < b.bucket
		}
		return strs{a.pipeline, a.model, a.orchestrator, a.region}.less(strs{b.pipeline, b.model, b.orchestrator, b.region})
	})
	for len(cells) > 0 {
		part := cells[:min(len(cells), chunk)]
		cells = cells[len(part):]
		b := &builder{d: d}
		var vals []string
		for _, c := range part {
			a := sums[c]
			vals = append(vals, fmt.Sprintf("(%s, %s, %s, %s, %s, %s, %s, %s, %s)", b.arg(c.width), b.arg(c.bucket),
				b.arg(c.pipeline), b.arg(c.model), b.arg(c.orchestrator), b.arg(c.region),
				b.arg(a.Tests), b.arg(a.SumSuccessRate), b.arg(a.SumRoundTrip)))
		}
		query := "INSERT INTO ai_rollups (width, bucket, pipeline, model, orchestrator, region, tests, success_rate_e9, round_trip_ns) VALUES " +
			strings.Join(vals, ", ") + " ON CONFLICT (width, bucket, pipeline, model, orchestrator, region) DO UPDATE SET " +
			"tests = ai_rollups.tests + excluded.tests, success_rate_e9 = ai_rollups.success_rate_e9 + excluded.success_rate_e9, " +
			"round_trip_ns = ai_rollups.round_trip_ns + excluded.round_trip_ns"
		if err := tx.Exec(ctx, query, b.args...); err != nil {
			return fmt.Errorf("ai rollups: %w", err)
		}
	}
	return nil
}

func writeMedCells(ctx context.Context, tx AIConn, d Dialect, chunk int, bins map[medCell]int64) error {
	cells := make([]medCell, 0, len(bins))
	for c := range bins {
		cells = append(cells, c)
	}
	sort.Slice(cells, func(i, j int) bool {
		a, b := cells[i], cells[j]
		if a.width != b.width {
			return a.width < b.width
		}
		if a.bucket != b.bucket {
			return a.bucket < b.bucket
		}
		if a.pipeline != b.pipeline || a.model != b.model || a.region != b.region {
			return strs{a.pipeline, a.model, a.region}.less(strs{b.pipeline, b.model, b.region})
		}
		return a.bin < b.bin
	})
	for len(cells) > 0 {
		part := cells[:min(len(cells), chunk)]
		cells = cells[len(part):]
		b := &builder{d: d}
		var vals []string
		for _, c := range part {
			vals = append(vals, fmt.Sprintf("(%s, %s, %s, %s, %s, %s, %s)", b.arg(c.width), b.arg(c.bucket),
				b.arg(c.pipeline), b.arg(c.model), b.arg(c.region), b.arg(c.bin), b.arg(bins[c])))
		}
		query := "INSERT INTO ai_medians (width, bucket, pipeline, model, region, rtt_bin, tests) VALUES " +
			strings.Join(vals, ", ") + " ON CONFLICT (width, bucket, pipeline, model, region, rtt_bin) DO UPDATE SET " +
			"tests = ai_medians.tests + excluded.tests"
		if err := tx.Exec(ctx, query, b.args...); err != nil {
			return fmt.Errorf("ai medians: %w", err)
		}
	}
	return nil
}

type strs [4]string

func (a strs) less(b strs) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func queryStrings(ctx context.Context, c AIConn, query string, args ...any) ([]string, error) {
	rows, err := c.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
