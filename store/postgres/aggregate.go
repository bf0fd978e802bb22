package postgres

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// Aggregates answers q from whole rollup buckets plus raw edges; the result
// equals ScanAggregates(q) exactly. Sealed buckets are read packed (see
// packs.go), open ones from rollups, edges from stats, all in one statement
// (one snapshot); the entries are summed here.
func (db *DB) Aggregates(ctx context.Context, q podium.StatsQuery) ([]podium.Aggregate, error) {
	query, args := aggregateSQL(q)
	if query == "" {
		return nil, nil
	}
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, unavailable("aggregate stats", err)
	}
	defer rows.Close()
	var sums sums
	var b []byte
	var packed bool
	for rows.Next() {
		if err := rows.Scan(&packed, &b); err != nil {
			return nil, unavailable("aggregate stats", err)
		}
		if err := sums.add(b, !packed); err != nil {
			return nil, &podium.Error{Code: podium.EINTERNAL, Message: "aggregate stats", Err: err}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("aggregate stats", err)
	}
	var ids []int64
	sums.each(func(id int64, _ *podium.Aggregate) { ids = append(ids, id) })
	names, err := db.seriesNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]podium.Aggregate, 0, len(ids))
	sums.each(func(id int64, a *podium.Aggregate) {
		k := names[id]
		if q.Orchestrator != "" && k.orchestrator != q.Orchestrator || q.Region != "" && k.region != q.Region {
			return // a packed row holds the other series of its block
		}
		a.Orchestrator, a.Region = k.orchestrator, k.region
		out = append(out, *a)
	})
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.Orchestrator < b.Orchestrator || a.Orchestrator == b.Orchestrator && a.Region < b.Region
	})
	return out, nil
}

// aggregateSQL returns the statement listing the packed entries that sum to
// q's answer, and its parameters, or "" when the window is empty. Each row
// is whether it is packed and a bytea of entries: a packed row of sealed
// cells, or the fixed-size entry of an open rollup cell, of a raw record of
// an edge or of a record not folded yet.
func aggregateSQL(q podium.StatsQuery) (string, []any) {
	p := rollup.PlanWindow(q.Since, q.Until)
	if len(p.Raw) == 0 && len(p.Spans) == 0 {
		return "", nil
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d::bigint", len(args))
	}
	filter, fargs := rollup.SeriesFilter(dialect, q)
	blocks := ""
	if filter != "" {
		// The series filter's own parameters come first: $1, $2.
		args = append(args, fargs...)
		blocks = rollup.BlockFilter(filter)
	}
	const h = "(SELECT horizon FROM h)"
	var parts []string
	for _, s := range p.Spans {
		w, from, to := arg(s.Width), arg(s.From), arg(s.To)
		parts = append(parts,
			fmt.Sprintf("SELECT true, entries FROM rollup_packs WHERE width = %s AND bucket >= %s AND bucket < LEAST(%s, %s - %s + 1)%s",
				w, from, to, h, w, blocks),
			fmt.Sprintf("SELECT false, %s FROM rollups WHERE width = %s AND bucket >= GREATEST(%s, %s - %s + 1) AND bucket < %s%s",
				entrySQL("tests"), w, from, h, w, to, filter))
	}
	for _, r := range p.Raw {
		parts = append(parts, fmt.Sprintf("SELECT false, %s FROM stats WHERE ts >= %s AND ts < %s%s",
			entrySQL("1"), arg(r.From), arg(r.To), filter))
	}
	if from, to, ok := rollup.FoldSpan(p); ok {
		// Records not folded yet, found by id; ts + 0 keeps the planner
		// from reading the whole window through the ts index instead.
		parts = append(parts, fmt.Sprintf("SELECT false, %s FROM stats WHERE id > (SELECT seq FROM fold_state) AND ts + 0 >= %s AND ts + 0 < %s%s",
			entrySQL("1"), arg(from), arg(to), strings.Replace(filter, " AND series IN", " AND series + 0 IN", 1)))
	}
	return "WITH h AS MATERIALIZED (SELECT horizon FROM rollup_horizon) " +
		strings.Join(parts, " UNION ALL "), args
}

// seriesNames returns the orchestrator and region of series ids, from the
// cache or else from the series table.
func (db *DB) seriesNames(ctx context.Context, ids []int64) (map[int64]seriesKey, error) {
	names, missing := db.series.names(ids)
	if len(missing) == 0 {
		return names, nil
	}
	rows, err := db.pool.Query(ctx, "SELECT id, orchestrator, region FROM series WHERE id = ANY($1)", missing)
	if err != nil {
		return nil, unavailable("series names", err)
	}
	found := make(map[seriesKey]int64, len(missing))
	if err := scanSeries(rows, found); err != nil {
		return nil, unavailable("series names", err)
	}
	for k, id := range found {
		names[id] = k
	}
	if len(found) != len(missing) {
		return nil, &podium.Error{Code: podium.EINTERNAL, Message: fmt.Sprintf("series names: %d of %d series IDs in rollups are not in the series table", len(missing)-len(found), len(missing))}
	}
	db.series.remember(found)
	return names, nil
}
