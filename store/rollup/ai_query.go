package rollup

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/podiumhq/podium"
)

// PlanAI splits [since, until) into raw edges and whole spans of AIWidths,
// as PlanWindow does for Widths.
func PlanAI(since, until int64) Plan { return planWidths(since, until, AIWidths) }

// aiFilter returns the conditions (each starting with " AND ") of q's
// pipeline, model, region and, when orch, orchestrator.
func (b *builder) aiFilter(q podium.StatsQuery, orch bool) string {
	var s string
	if q.Pipeline != "" {
		s += " AND pipeline = " + b.arg(q.Pipeline)
	}
	if q.Model != "" {
		s += " AND model = " + b.arg(q.Model)
	}
	if orch && q.Orchestrator != "" {
		s += " AND orchestrator = " + b.arg(q.Orchestrator)
	}
	if q.Region != "" {
		s += " AND region = " + b.arg(q.Region)
	}
	return s
}

// aiParts returns one SELECT of cols per part of q's window: from table
// (a rollup or histogram) for whole spans, from ai_stats for raw edges
// (rawCols in place of cols, and rawCond added).
func (b *builder) aiParts(q podium.StatsQuery, table, cols, rawCols, rawCond string, orch bool) []string {
	p := PlanAI(q.Since, q.Until)
	var parts []string
	spanFilter := func() string { return b.aiFilter(q, orch) }
	if table == "ai_medians" && q.Pipeline == "" && q.Model == "" {
		// The histogram's rows of every pipeline.
		spanFilter = func() string { return " AND pipeline = '' AND model = ''" + b.aiFilter(q, orch) }
	}
	for _, s := range p.Spans {
		parts = append(parts, fmt.Sprintf("SELECT %s FROM %s WHERE width = %s AND bucket >= %s AND bucket < %s%s",
			cols, table, b.arg(s.Width), b.arg(s.From), b.arg(s.To), spanFilter()))
	}
	for _, r := range p.Raw {
		parts = append(parts, fmt.Sprintf("SELECT %s FROM ai_stats WHERE %sts >= %s AND ts < %s%s",
			rawCols, rawCond, b.arg(r.From), b.arg(r.To), b.aiFilter(q, orch)))
	}
	return parts
}

const aiKeyCols = "pipeline, model, orchestrator, region"

// AIAggregates answers podium.AIStore.AIAggregates from whole rollup
// buckets plus raw edges.
func AIAggregates(ctx context.Context, c AIConn, d Dialect, q podium.StatsQuery) ([]podium.AIAggregate, error) {
	b := &builder{d: d}
	keys := aiKeyCols
	if d.GroupInGo && q.Pipeline != "" && q.Model != "" {
		keys = "orchestrator, region" // the rest is q's: fewer text columns to read
	}
	parts := b.aiParts(q, "ai_rollups", keys+", tests, success_rate_e9, round_trip_ns",
		keys+", CAST(1 AS bigint) AS tests, success_rate_e9, round_trip_ns", "", true)
	if len(parts) == 0 {
		return nil, nil
	}
	from := strings.Join(parts, " UNION ALL ")
	if keys != aiKeyCols {
		return aiAggregatesInGo(ctx, c, b, from, &[2]string{q.Pipeline, q.Model})
	}
	return aiAggregates(ctx, c, d, b, from)
}

// ScanAIAggregates answers the same by a plain GROUP BY over the raw
// records: the baseline AIAggregates is checked against.
func ScanAIAggregates(ctx context.Context, c AIConn, d Dialect, q podium.StatsQuery) ([]podium.AIAggregate, error) {
	since, until := Clamp(q.Since, q.Until)
	b := &builder{d: d}
	from := fmt.Sprintf("SELECT %s, CAST(1 AS bigint) AS tests, success_rate_e9, round_trip_ns FROM ai_stats WHERE ts >= %s AND ts < %s%s",
		aiKeyCols, b.arg(since), b.arg(until), b.aiFilter(q, true))
	return aiAggregates(ctx, c, d, b, from)
}

func aiAggregates(ctx context.Context, c AIConn, d Dialect, b *builder, from string) ([]podium.AIAggregate, error) {
	if d.GroupInGo {
		return aiAggregatesInGo(ctx, c, b, from, nil)
	}
	query := fmt.Sprintf("SELECT %s, %s, %s, %s FROM (%s) t GROUP BY %s ORDER BY pipeline%s, model%s, orchestrator%s, region%s",
		aiKeyCols, fmt.Sprintf(d.SumFormat, "tests"), fmt.Sprintf(d.SumFormat, "success_rate_e9"),
		fmt.Sprintf(d.SumFormat, "round_trip_ns"), from, aiKeyCols, d.Collate, d.Collate, d.Collate, d.Collate)
	rows, err := c.Query(ctx, query, b.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []podium.AIAggregate
	for rows.Next() {
		var a podium.AIAggregate
		if err := rows.Scan(&a.Pipeline, &a.Model, &a.Orchestrator, &a.Region, &a.Tests, &a.SumSuccessRate, &a.SumRoundTrip); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// BinCount is one bin of the median histogram.
type BinCount struct {
	Bin, Tests int64
}

// MedianRanks returns, for a histogram sorted by bin, the bins holding the
// two middle ranks of its tests (0-based ranks (n-1)/2 and n/2, the same
// rank when n is odd) and each rank's position within its bin. ok is false
// for an empty histogram.
func MedianRanks(hist []BinCount) (lo, hi BinRank, ok bool) {
	var n int64
	for _, h := range hist {
		n += h.Tests
	}
	if n == 0 {
		return lo, hi, false
	}
	find := func(rank int64) BinRank {
		var below int64
		for _, h := range hist {
			if rank < below+h.Tests {
				return BinRank{Bin: h.Bin, Rank: rank - below, Tests: h.Tests}
			}
			below += h.Tests
		}
		panic("rank beyond the histogram")
	}
	return find((n - 1) / 2), find(n / 2), true
}

// BinRank is a rank within one bin of Tests tests.
type BinRank struct {
	Bin, Rank, Tests int64
}

// AIMedian answers podium.AIStore.AIMedian: it sums the histogram over the
// window (whole buckets, plus the raw edges' bins), finds the bins of the
// middle ranks, and reads only those bins' round trips.
func AIMedian(ctx context.Context, c AIConn, d Dialect, q podium.StatsQuery) (float64, bool, error) {
	q.Orchestrator = ""
	b := &builder{d: d}
	parts := b.aiParts(q, "ai_medians", "rtt_bin, tests", "rtt_bin, CAST(1 AS bigint) AS tests", "rtt_bin IS NOT NULL AND ", false)
	if len(parts) == 0 {
		return 0, false, nil
	}
	query := fmt.Sprintf("SELECT rtt_bin, %s FROM (%s) t GROUP BY rtt_bin ORDER BY rtt_bin",
		fmt.Sprintf(d.SumFormat, "tests"), strings.Join(parts, " UNION ALL "))
	rows, err := c.Query(ctx, query, b.args...)
	if err != nil {
		return 0, false, err
	}
	var hist []BinCount
	for rows.Next() {
		var h BinCount
		if err := rows.Scan(&h.Bin, &h.Tests); err != nil {
			rows.Close()
			return 0, false, err
		}
		hist = append(hist, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, false, err
	}
	lo, hi, ok := MedianRanks(hist)
	if !ok {
		return 0, false, nil
	}
	value := func(r BinRank) (float64, error) {
		vals, err := binValues(ctx, c, d, q, r.Bin)
		if err != nil {
			return 0, err
		}
		if int64(len(vals)) != r.Tests {
			return 0, fmt.Errorf("ai median: bin %d holds %d round trips, its histogram says %d", r.Bin, len(vals), r.Tests)
		}
		return vals[r.Rank], nil
	}
	l, err := value(lo)
	if err != nil {
		return 0, false, err
	}
	h := l
	if hi != lo {
		if h, err = value(hi); err != nil {
			return 0, false, err
		}
	}
	// PostgreSQL's percentile_cont: lo + (hi - lo) * 0.5.
	return l + (h-l)*0.5, true, nil
}

// binValues returns the round trips of q's window in bin, sorted.
func binValues(ctx context.Context, c AIConn, d Dialect, q podium.StatsQuery, bin int64) ([]float64, error) {
	since, until := Clamp(q.Since, q.Until)
	b := &builder{d: d}
	query := fmt.Sprintf("SELECT round_trip_time FROM ai_stats WHERE rtt_bin IS NOT NULL AND rtt_bin = %s AND ts >= %s AND ts < %s%s",
		b.arg(bin), b.arg(since), b.arg(until), b.aiFilter(q, false))
	rows, err := c.Query(ctx, query, b.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []float64
	for rows.Next() {
		var v float64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	sort.Float64s(out)
	return out, rows.Err()
}

// ScanAIMedian is the median by reading every counted round trip of the
// window: the baseline AIMedian is checked against.
func ScanAIMedian(ctx context.Context, c AIConn, d Dialect, q podium.StatsQuery) (float64, bool, error) {
	q.Orchestrator = ""
	since, until := Clamp(q.Since, q.Until)
	b := &builder{d: d}
	query := fmt.Sprintf("SELECT round_trip_time FROM ai_stats WHERE rtt_bin IS NOT NULL AND ts >= %s AND ts < %s%s",
		b.arg(since), b.arg(until), b.aiFilter(q, false))
	rows, err := c.Query(ctx, query, b.args...)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	var vals []float64
	for rows.Next() {
		var v float64
		if err := rows.Scan(&v); err != nil {
			return 0, false, err
		}
		vals = append(vals, v)
	}
	if err := rows.Err(); err != nil {
		return 0, false, err
	}
	m, ok := MedianFloat(vals)
	return m, ok, nil
}

// MedianFloat is PostgreSQL's percentile_cont(0.5) of vals; it sorts vals.
func MedianFloat(vals []float64) (float64, bool) {
	n := len(vals)
	if n == 0 {
		return 0, false
	}
	sort.Float64s(vals)
	lo, hi := vals[(n-1)/2], vals[n/2]
	return lo + (hi-lo)*0.5, true
}

// aiRawColumns are the columns AIRawStats selects, in ScanAIRaw's order.
const aiRawColumns = "orchestrator, region, pipeline, model, ts, test_id, success_rate, round_trip_time, " +
	"model_is_warm, errors, input_parameters, response_payload, cost_tickets, cost_face_value, cost_ev"

// AIRawStats answers podium.AIStore.AIRawStats.
func AIRawStats(ctx context.Context, c AIConn, d Dialect, q podium.StatsQuery) ([]podium.Stats, error) {
	since, until := Clamp(q.Since, q.Until)
	b := &builder{d: d}
	query := fmt.Sprintf("SELECT %s FROM ai_stats WHERE ts >= %s AND ts < %s%s ORDER BY ts DESC, region%s, orchestrator%s, record_key%s",
		aiRawColumns, b.arg(since), b.arg(until), b.aiFilter(q, true), d.Collate, d.Collate, d.Collate)
	if q.Limit > 0 {
		query += " LIMIT " + b.arg(int64(q.Limit))
	}
	rows, err := c.Query(ctx, query, b.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []podium.Stats
	for rows.Next() {
		var s podium.Stats
		var warm int64
		var errs string
		var tickets *int64
		var face, ev *string
		if err := rows.Scan(&s.Orchestrator, &s.Region, &s.Pipeline, &s.Model, &s.Timestamp, &s.TestID,
			&s.SuccessRate, &s.RoundTripTime, &warm, &errs, &s.InputParameters, &s.ResponsePayload,
			&tickets, &face, &ev); err != nil {
			return nil, err
		}
		s.ModelIsWarm = warm != 0
		if s.Errors, err = DecodeErrors(errs); err != nil {
			return nil, err
		}
		if s.Cost, err = scanCost(tickets, face, ev); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Pipelines answers podium.AIStore.Pipelines from the rollups' keys.
func Pipelines(ctx context.Context, c AIConn, d Dialect, q podium.StatsQuery) ([]podium.Pipeline, error) {
	q = podium.StatsQuery{Since: q.Since, Until: q.Until, Region: q.Region}
	b := &builder{d: d}
	parts := b.aiParts(q, "ai_rollups", "pipeline, model, region", "pipeline, model, region", "", false)
	if len(parts) == 0 {
		return []podium.Pipeline{}, nil
	}
	rows, err := c.Query(ctx, "SELECT DISTINCT pipeline, model, region FROM ("+strings.Join(parts, " UNION ALL ")+") t", b.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type sets struct{ models, regions map[string]bool }
	byID := make(map[string]*sets)
	for rows.Next() {
		var p, m, r string
		if err := rows.Scan(&p, &m, &r); err != nil {
			return nil, err
		}
		s := byID[p]
		if s == nil {
			s = &sets{map[string]bool{}, map[string]bool{}}
			byID[p] = s
		}
		s.models[m], s.regions[r] = true, true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]podium.Pipeline, 0, len(byID))
	for id, s := range byID {
		out = append(out, podium.Pipeline{ID: id, Models: sortedKeys(s.models), Regions: sortedKeys(s.regions)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TopAI finds what podium.AIStore.TopAIScore scores: orchestrator's best
// aggregate in the window (BestAI) and the median of its pipeline and model
// across every region and orchestrator. found is false when orchestrator
// has no AI test in the window. The store scores it (score.OfAIAggregate).
func TopAI(ctx context.Context, c AIConn, d Dialect, orchestrator string, since, until int64) (best podium.AIAggregate, median float64, medianOK, found bool, err error) {
	aggs, err := AIAggregates(ctx, c, d, podium.StatsQuery{Orchestrator: orchestrator, Since: since, Until: until, JobType: podium.JobAI})
	if err != nil || len(aggs) == 0 {
		return best, 0, false, false, err
	}
	best = BestAI(aggs)
	q := podium.StatsQuery{Since: since, Until: until, JobType: podium.JobAI, Pipeline: best.Pipeline, Model: best.Model}
	median, medianOK, err = AIMedian(ctx, c, d, q)
	return best, median, medianOK, err == nil, err
}

// BestAI returns the aggregate of aggs (sorted as AIAggregates sorts them)
// with the highest mean success rate, then the lowest mean round trip; of
// equals, the first.
func BestAI(aggs []podium.AIAggregate) podium.AIAggregate {
	best := aggs[0]
	for _, a := range aggs[1:] {
		as, bs := a.MeanSuccessRate(), best.MeanSuccessRate()
		if as > bs || as == bs && a.MeanRoundTrip() < best.MeanRoundTrip() {
			best = a
		}
	}
	return best
}

// aiAggregatesInGo is aiAggregates summing the rows in a map: SQLite's
// GROUP BY sorts its input, which costs more than the sums.
// When fixed is not nil, from's rows hold only orchestrator and region
// as keys, and every row is of fixed's pipeline and model.
func aiAggregatesInGo(ctx context.Context, c AIConn, b *builder, from string, fixed *[2]string) ([]podium.AIAggregate, error) {
	cols := aiKeyCols
	if fixed != nil {
		cols = "orchestrator, region"
	}
	rows, err := c.Query(ctx, "SELECT "+cols+", tests, success_rate_e9, round_trip_ns FROM ("+from+") t", b.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sums := make(map[strs]*podium.AIAggregate)
	var k strs
	var a podium.AIAggregate
	for rows.Next() {
		var err error
		if fixed != nil {
			k[0], k[1] = fixed[0], fixed[1]
			err = rows.Scan(&k[2], &k[3], &a.Tests, &a.SumSuccessRate, &a.SumRoundTrip)
		} else {
			err = rows.Scan(&k[0], &k[1], &k[2], &k[3], &a.Tests, &a.SumSuccessRate, &a.SumRoundTrip)
		}
		if err != nil {
			return nil, err
		}
		if s := sums[k]; s != nil {
			*s = s.Add(a)
			continue
		}
		n := a
		n.Pipeline, n.Model, n.Orchestrator, n.Region = k[0], k[1], k[2], k[3]
		sums[k] = &n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, nil
	}
	out := make([]podium.AIAggregate, 0, len(sums))
	for _, s := range sums {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return strs{a.Pipeline, a.Model, a.Orchestrator, a.Region}.less(strs{b.Pipeline, b.Model, b.Orchestrator, b.Region})
	})
	return out, nil
}
