package rollup

import (
	"fmt"
	"strings"

	"github.com/podiumhq/podium"
)

// Dialect is how a store's SQL differs: the form of a numbered placeholder
// ("?1" or "$1") and of an integer sum (PostgreSQL's sum(bigint) is numeric).
type Dialect struct {
	// Placeholder is a fmt format taking the parameter number ("$%d"), or
	// a positional placeholder ("?") for statements using each parameter
	// once, in order.
	Placeholder string
	SumFormat   string // fmt format taking a column expression

	// Collate follows each text column in an ORDER BY so that text sorts
	// by bytes whatever the database's locale (` COLLATE "C"` on PostgreSQL).
	Collate string

	// GroupInGo has the AI queries sum their rows in Go rather than by a
	// GROUP BY, which SQLite answers by sorting (store/rollup/ai_query.go).
	GroupInGo bool
}

// SumColumns are the summed columns of the stats and rollups tables, in the
// order of podium.Aggregate's fields after Tests.
var SumColumns = []string{
	"seg_duration_us", "round_trip_us", "success_rate_e9", "upload_us",
	"transcode_us", "download_us", "segments_sent", "segments_received",
	"verified_renditions", "verification_failures",
}

// builder collects a statement's text and its numbered parameters.
type builder struct {
	d    Dialect
	args []any
}

// arg adds a parameter and returns its placeholder.
func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	if !strings.Contains(b.d.Placeholder, "%") { // positional, as "?"
		return b.d.Placeholder
	}
	return fmt.Sprintf(b.d.Placeholder, len(b.args))
}

// seriesFilter returns the condition selecting the series of q's filters,
// or "" when q selects every series.
func (b *builder) seriesFilter(q podium.StatsQuery) string {
	var conds []string
	if q.Orchestrator != "" {
		conds = append(conds, "orchestrator = "+b.arg(q.Orchestrator))
	}
	if q.Region != "" {
		conds = append(conds, "region = "+b.arg(q.Region))
	}
	if len(conds) == 0 {
		return ""
	}
	return " AND series IN (SELECT id FROM series WHERE " + strings.Join(conds, " AND ") + ")"
}

// sums returns the summed select list, tests first.
func (b *builder) sums(tests string) string {
	cols := []string{fmt.Sprintf(b.d.SumFormat, tests)}
	for _, c := range SumColumns {
		cols = append(cols, fmt.Sprintf(b.d.SumFormat, c))
	}
	return strings.Join(cols, ", ")
}

// SeriesFilter returns the condition (starting with " AND ") restricting a
// query of the stats or rollups table to q's orchestrator and region, or ""
// when q selects every series, and its parameters, numbered from first.
func SeriesFilter(d Dialect, q podium.StatsQuery) (string, []any) {
	b := &builder{d: d}
	return b.seriesFilter(q), b.args
}

// ScanSQL returns the baseline query answering q by a plain GROUP BY over
// the raw records in the window, and its parameters. Its rows are
// orchestrator, region, series, tests and the SumColumns (see ScanAggregate),
// sorted by orchestrator then region.
func ScanSQL(d Dialect, q podium.StatsQuery) (string, []any) {
	since, until := Clamp(q.Since, q.Until)
	b := &builder{d: d}
	where := fmt.Sprintf("ts >= %s AND ts < %s", b.arg(since), b.arg(until))
	where += b.seriesFilter(q)
	return fmt.Sprintf(
		"SELECT se.orchestrator, se.region, t.* FROM (SELECT series, %s FROM stats WHERE %s GROUP BY series) t "+
			"JOIN series se ON se.id = t.series ORDER BY se.orchestrator%s, se.region%s",
		b.sums("1"), where, d.Collate, d.Collate), b.args
}

// Scanner is the Scan method of a result row (database/sql or pgx).
type Scanner func(dest ...any) error

// ScanAggregate reads one row of AggregateSQL or ScanSQL.
func ScanAggregate(scan Scanner) (podium.Aggregate, error) {
	var a podium.Aggregate
	var series int64
	err := scan(&a.Orchestrator, &a.Region, &series, &a.Tests,
		&a.SumSegDuration, &a.SumRoundTrip, &a.SumSuccessRate, &a.SumUpload,
		&a.SumTranscode, &a.SumDownload, &a.SegmentsSent, &a.SegmentsReceived,
		&a.VerifiedRenditions, &a.VerificationFailures)
	return a, err
}
