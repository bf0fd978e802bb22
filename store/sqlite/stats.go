package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// dialect is SQLite's SQL for the shared statements.
var dialect = rollup.Dialect{Placeholder: "?%d", SumFormat: "sum(%s)"}

const insertStats = `INSERT INTO stats (record_key, series, ts, test_id, segments_sent,
	segments_received, success_rate, seg_duration, upload_time, download_time, transcode_time,
	round_trip_time, errors, verified_renditions, verification_failures, seg_duration_us,
	round_trip_us, success_rate_e9, upload_us, transcode_us, download_us, received_at,
	cost_tickets, cost_face_value, cost_ev) VALUES `

// onConflict ends insertStats: a key already stored is skipped, and the new
// keys are returned. Any other failure (a NOT NULL column) fails the insert.
const onConflict = " ON CONFLICT (record_key) DO NOTHING RETURNING record_key"

// Multi-row statements: columns per row and rows per statement.
const (
	insertColumns = 25
	insertChunk   = 16 // the driver binds parameters in quadratic time
	rollupChunk   = 256
)

// insertRows inserts n rows of stats (args holds their columns, bound as
// parameters) and returns the keys of those that were new.
func (db *DB) insertRows(ctx context.Context, tx *sql.Tx, n int, args []any) ([]string, error) {
	return queryKeys(ctx, tx, insertStats+values(n, insertColumns)+onConflict, args...)
}

// queryKeys runs an insert returning record keys and returns them.
func queryKeys(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("insert stats: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insert stats: %w", err)
	}
	return keys, nil
}

// values returns n parenthesized lists of cols placeholders.
func values(n, cols int) string {
	one := "(?" + strings.Repeat(", ?", cols-1) + ")"
	return one + strings.Repeat(", "+one, n-1)
}

// AddStats appends recs in one durable transaction; they are folded into
// their rollups later (Fold), and answers count them from the moment it
// returns. A record whose key (podium.Stats.Key) is already stored is
// skipped; added counts the new ones.
//
// Concurrent calls are committed together (group commit): the caller that
// gets the write lock writes every batch queued so far in one transaction,
// and each caller returns once the transaction holding its records is
// durable. One fsync then serves many posters.
func (db *DB) AddStats(ctx context.Context, recs []podium.Stats) (added int, err error) {
	if added, ok, err := db.addMixed(ctx, recs); ok { // AI records are stored apart (ai.go)
		return added, err
	}
	rows, err := rollup.Prepare(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	added, err = db.queue.Add(ctx, rows, &db.wmu, db.addGroup)
	db.backlog.Appended(added)
	return added, err
}

// GroupCommits returns how many group commits AddStats has written and how
// many records they held (for the server's metrics).
func (db *DB) GroupCommits() (groups, records uint64) { return db.queue.Counts() }

// addGroup writes the batches of group in one transaction and answers each.
// The caller holds wmu. When the transaction fails and holds several
// batches, each is retried alone so one batch's failure is not another's.
func (db *DB) addGroup(ctx context.Context, group []*rollup.Batch) {
	added, err := db.insert(ctx, group)
	if err != nil && len(group) > 1 {
		for _, req := range group {
			db.addGroup(ctx, []*rollup.Batch{req})
		}
		return
	}
	for i, req := range group {
		if err != nil {
			req.Answer(0, unavailable("add stats", err))
		} else {
			req.Answer(added[i], nil)
		}
	}
}

// insert appends the records of group in one transaction and returns how
// many of each batch were new. The caller holds wmu.
func (db *DB) insert(ctx context.Context, group []*rollup.Batch) ([]int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids := make(map[seriesKey]int64)
	added, err := db.insertTx(ctx, tx, group, ids, nil)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	db.series.remember(ids)
	return added, nil
}

// insertTx appends the records of group in tx, resolving their series into
// ids, and returns how many of each batch were new; fresh, when not nil, is
// called with each new record and its series. The caller holds wmu.
func (db *DB) insertTx(ctx context.Context, tx *sql.Tx, group []*rollup.Batch, ids map[seriesKey]int64,
	fresh func(r *rollup.Record, series int64)) ([]int, error) {
	receivedAt := db.Now().UnixMilli()
	added := make([]int, len(group))
	var err error
	// Resolve series first, then insert in multi-row statements: the driver
	// compiles every statement it runs (it keeps no prepared statements), so
	// one statement per row would spend most of its time in SQLite's parser.
	type row struct {
		r      *rollup.Record
		series int64
		group  int
	}
	var all []row
	for g, req := range group {
		for i := range req.Rows {
			r := &req.Rows[i]
			k := seriesKey{r.Orchestrator, r.Region}
			id, ok := ids[k]
			if !ok {
				if id, ok = db.series.get(k); !ok {
					if id, err = seriesID(ctx, tx, k); err != nil {
						return nil, fmt.Errorf("series: %w", err)
					}
				}
				ids[k] = id
			}
			all = append(all, row{r, id, g})
		}
	}
	// Rows go in as SQL literals, literalChunk rows a statement; a row
	// that is not literalSafe goes in bound parameters, insertChunk rows a
	// statement.
	var viaLiteral, viaArgs []row
	for _, w := range all {
		if literalSafe(w.r) {
			viaLiteral = append(viaLiteral, w)
		} else {
			viaArgs = append(viaArgs, w)
		}
	}
	values := func(w row) []any {
		r, a := w.r, w.r.Agg
		tickets, face, ev := rollup.CostValues(r.Stats)
		return []any{r.Key, w.series, r.Timestamp, r.TestID, r.SegmentsSent,
			r.SegmentsReceived, r.SuccessRate, r.SegDuration, r.UploadTime, r.DownloadTime,
			r.TranscodeTime, r.RoundTripTime, r.Errors, r.VerifiedRenditions,
			r.VerificationFailures, a.SumSegDuration, a.SumRoundTrip, a.SumSuccessRate,
			a.SumUpload, a.SumTranscode, a.SumDownload, receivedAt, tickets, face, ev}
	}
	var sqlText strings.Builder
	for _, part := range []struct {
		rows  []row
		chunk int
		write func(rows []row) ([]string, error)
	}{
		{viaLiteral, literalChunk, func(rows []row) ([]string, error) {
			vals := make([][]any, len(rows))
			for i, w := range rows {
				vals[i] = values(w)
			}
			return insertLiteral(ctx, tx, &sqlText, vals)
		}},
		{viaArgs, insertChunk, func(rows []row) ([]string, error) {
			args := make([]any, 0, len(rows)*insertColumns)
			for _, w := range rows {
				args = append(args, values(w)...)
			}
			return db.insertRows(ctx, tx, len(rows), args)
		}},
	} {
		for rows := part.rows; len(rows) > 0; {
			chunk := rows[:min(len(rows), part.chunk)]
			rows = rows[len(chunk):]
			byKey := make(map[string]row, len(chunk))
			for _, w := range chunk {
				if _, dup := byKey[w.r.Key]; !dup { // a key repeated across batches: the first wins
					byKey[w.r.Key] = w
				}
			}
			newKeys, err := part.write(chunk)
			if err != nil {
				return nil, err
			}
			for _, k := range newKeys {
				w := byKey[k]
				added[w.group]++
				if fresh != nil {
					fresh(w.r, w.series)
				}
			}
		}
	}
	return added, nil
}

// writeDeltas adds the sums of newly folded records to their rollups, in
// cell order, several cells per statement. The values are written into the
// statement as literals: the driver binds parameters in quadratic time.
func writeDeltas(ctx context.Context, tx *sql.Tx, deltas rollup.Deltas) error {
	cells := deltas.Sorted()
	var b []byte
	for len(cells) > 0 {
		chunk := cells[:min(len(cells), rollupChunk)]
		cells = cells[len(chunk):]
		b = append(b[:0], "INSERT INTO rollups (width, bucket, series, sums) VALUES "...)
		for i, c := range chunk {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(strconv.AppendInt(append(b, '('), c.Width, 10), ", "...)
			b = append(strconv.AppendInt(b, c.Bucket, 10), ", "...)
			b = append(strconv.AppendInt(b, c.Series, 10), ", X'"...)
			b = append(hex.AppendEncode(b, pack(deltas[c])), "')"...)
		}
		b = append(b, " ON CONFLICT (width, bucket, series) DO UPDATE SET sums = podium_add(rollups.sums, excluded.sums)"...)
		if _, err := tx.ExecContext(ctx, string(b)); err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
	}
	return nil
}

// Aggregates answers q from whole rollup buckets plus raw edges; the result
// equals ScanAggregates(q) exactly. One podium_sums aggregate adds up every
// part's rows by series; the series are named afterwards.
func (db *DB) Aggregates(ctx context.Context, q podium.StatsQuery) ([]podium.Aggregate, error) {
	p := rollup.PlanWindow(q.Since, q.Until)
	if len(p.Raw) == 0 && len(p.Spans) == 0 {
		return nil, nil
	}
	filter, args := rollup.SeriesFilter(dialect, q)
	arg := func(v int64) string {
		args = append(args, v)
		return fmt.Sprintf("?%d", len(args))
	}
	blocks := rollup.BlockFilter(filter)
	// Sealed buckets are read packed, open ones from rollups (packs.go).
	const h = "(SELECT horizon FROM rollup_horizon)"
	var parts []string
	for _, s := range p.Spans {
		w, from, to := arg(s.Width), arg(s.From), arg(s.To)
		parts = append(parts,
			fmt.Sprintf("SELECT %d AS series, entries AS sums FROM rollup_packs WHERE width = %s AND bucket >= %s AND bucket < min(%s, %s - %s + 1)%s",
				packedRow, w, from, to, h, w, blocks),
			fmt.Sprintf("SELECT series, sums FROM rollups WHERE width = %s AND bucket >= max(%s, %s - %s + 1) AND bucket < %s%s",
				w, from, h, w, to, filter))
	}
	for _, r := range p.Raw {
		parts = append(parts, fmt.Sprintf("SELECT series, podium_pack(1, %s) AS sums FROM stats WHERE ts >= %s AND ts < %s%s",
			strings.Join(rollup.SumColumns, ", "), arg(r.From), arg(r.To), filter))
	}
	if from, to, ok := rollup.FoldSpan(p); ok {
		// Records not folded yet, found by id: the unary + keeps SQLite
		// from reading the whole window through the ts index instead.
		parts = append(parts, fmt.Sprintf("SELECT series, podium_pack(1, %s) AS sums FROM stats WHERE id > (SELECT seq FROM fold_state) AND +ts >= %s AND +ts < %s%s",
			strings.Join(rollup.SumColumns, ", "), arg(from), arg(to), unfoldedFilter(filter)))
	}
	query := "SELECT podium_sums(series, sums) FROM (" + strings.Join(parts, " UNION ALL ") + ")"
	var packed []byte
	if err := db.db.QueryRowContext(ctx, query, args...).Scan(&packed); err != nil {
		return nil, unavailable("aggregate stats", err)
	}
	sums, err := decodeSums(packed)
	if err != nil {
		return nil, err
	}
	out, err := db.named(ctx, sums)
	if err != nil || q.Orchestrator == "" && q.Region == "" {
		return out, err
	}
	kept := out[:0] // a packed row holds the other series of its block
	for _, a := range out {
		if (q.Orchestrator == "" || a.Orchestrator == q.Orchestrator) && (q.Region == "" || a.Region == q.Region) {
			kept = append(kept, a)
		}
	}
	return kept, nil
}

// named returns sums keyed by series ID as aggregates naming their series,
// sorted by orchestrator then region. Names come from the series cache;
// the series table is read only when a series is not cached yet.
func (db *DB) named(ctx context.Context, sums map[int64]podium.Aggregate) ([]podium.Aggregate, error) {
	if len(sums) == 0 {
		return nil, nil
	}
	out := make([]podium.Aggregate, 0, len(sums))
	for pass := 0; pass < 2; pass++ {
		out = out[:0]
		for id, a := range sums {
			k, ok := db.series.name(id)
			if !ok {
				break
			}
			a.Orchestrator, a.Region = k.orchestrator, k.region
			out = append(out, a)
		}
		if len(out) == len(sums) || pass == 1 {
			break
		}
		if err := db.loadSeries(ctx); err != nil {
			return nil, err
		}
	}
	if len(out) != len(sums) {
		return nil, fmt.Errorf("aggregate stats: %d of %d series have no name", len(sums)-len(out), len(sums))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Orchestrator != out[j].Orchestrator {
			return out[i].Orchestrator < out[j].Orchestrator
		}
		return out[i].Region < out[j].Region
	})
	return out, nil
}

// loadSeries reads every series into the cache.
func (db *DB) loadSeries(ctx context.Context) error {
	rows, err := db.db.QueryContext(ctx, "SELECT id, orchestrator, region FROM series")
	if err != nil {
		return unavailable("read series", err)
	}
	defer rows.Close()
	ids := make(map[seriesKey]int64)
	for rows.Next() {
		var id int64
		var k seriesKey
		if err := rows.Scan(&id, &k.orchestrator, &k.region); err != nil {
			return err
		}
		ids[k] = id
	}
	if err := rows.Err(); err != nil {
		return unavailable("read series", err)
	}
	db.series.remember(ids)
	return nil
}

// ScanAggregates answers q with a plain GROUP BY over the raw records in the
// window: the baseline Aggregates is checked and measured against.
func (db *DB) ScanAggregates(ctx context.Context, q podium.StatsQuery) ([]podium.Aggregate, error) {
	query, args := rollup.ScanSQL(dialect, q)
	return db.aggregates(ctx, query, args)
}

func (db *DB) aggregates(ctx context.Context, query string, args []any) ([]podium.Aggregate, error) {
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, unavailable("aggregate stats", err)
	}
	defer rows.Close()
	var out []podium.Aggregate
	for rows.Next() {
		a, err := rollup.ScanAggregate(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan aggregate: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("aggregate stats", err)
	}
	return out, nil
}

// RawStats returns the records of q newest first, ties broken by region,
// orchestrator and key, at most q.Limit when set.
func (db *DB) RawStats(ctx context.Context, q podium.StatsQuery) ([]podium.Stats, error) {
	query, args := rollup.RawSQL(dialect, q)
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, unavailable("raw stats", err)
	}
	defer rows.Close()
	var out []podium.Stats
	for rows.Next() {
		s, err := rollup.ScanRaw(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan stats: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("raw stats", err)
	}
	return out, nil
}

// Costs totals the costs of q's paid tests per region, and per UTC day
// when q.Daily, sorted by day then region.
func (db *DB) Costs(ctx context.Context, q podium.CostQuery) ([]podium.CostTotal, error) {
	query, args := rollup.CostSQL(dialect, q)
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, unavailable("costs", err)
	}
	defer rows.Close()
	t := podium.NewCostTotals(q.Daily)
	for rows.Next() {
		if err := rollup.AddCost(rows.Scan, t); err != nil {
			return nil, fmt.Errorf("scan cost: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("costs", err)
	}
	return t.Totals(), nil
}

// RebuildRollups recomputes every rollup from the raw records in one
// transaction; every record is folded then.
func (db *DB) RebuildRollups(ctx context.Context) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		for _, stmt := range rollup.RebuildSQL(dialect, "podium_pack") {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("rebuild rollups: %w", err)
			}
		}
		if err := rebuildPacks(ctx, tx); err != nil {
			return fmt.Errorf("rebuild packs: %w", err)
		}
		// Every record is in the rebuilt rollups.
		if _, err := tx.ExecContext(ctx, "UPDATE fold_state SET seq = (SELECT coalesce(max(id), 0) FROM stats)"); err != nil {
			return fmt.Errorf("rebuild rollups: fold mark: %w", err)
		}
		return nil
	})
}
