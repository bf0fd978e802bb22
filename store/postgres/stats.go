package postgres

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// dialect is PostgreSQL's SQL for the shared statements.
var dialect = rollup.Dialect{Placeholder: "$%d", SumFormat: "podium_sum(%s)", Collate: ` COLLATE "C"`}

// insertStats inserts a batch given as one array per column; it returns the
// keys that were new.
const insertStats = `INSERT INTO stats (record_key, series, ts, test_id, segments_sent,
	segments_received, success_rate, seg_duration, upload_time, download_time, transcode_time,
	round_trip_time, errors, verified_renditions, verification_failures, seg_duration_us,
	round_trip_us, success_rate_e9, upload_us, transcode_us, download_us, received_at,
	cost_tickets, cost_face_value, cost_ev)
	SELECT k, se, ts, t, sent, recv, sr, sd, up, down, tc, rtt, e::json, vr, vf, sdu, rttu, sre9, upu, tcu, downu, $22,
		ct, cf, ce
	FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[],
		$7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[],
		$13::text[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[],
		$19::bigint[], $20::bigint[], $21::bigint[], $23::bigint[], $24::text[], $25::text[])
		AS u(k, se, ts, t, sent, recv, sr, sd, up, down, tc, rtt, e, vr, vf, sdu, rttu, sre9, upu, tcu, downu, ct, cf, ce)
	ON CONFLICT (record_key) DO NOTHING
	RETURNING record_key`

// AddStats appends recs in one transaction; they are folded into their
// rollups later (Fold), and answers count them from the moment it returns.
// A record whose key (podium.Stats.Key) is already stored is skipped; added
// counts the new ones.
//
// Concurrent calls in this process are committed together (group commit):
// a caller that gets one of the groupWriters places writes every batch
// queued so far in one transaction, and each caller returns once the
// transaction holding its records has committed. Rows are written in key
// order so that concurrent writers, here or in other processes, cannot
// deadlock.
func (db *DB) AddStats(ctx context.Context, recs []podium.Stats) (added int, err error) {
	if added, ok, err := db.addMixed(ctx, recs); ok { // AI records are stored apart (ai.go)
		return added, err
	}
	rows, err := rollup.Prepare(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	added, err = db.queue.Add(ctx, rows, db.writers, db.addGroup)
	db.backlog.Appended(added)
	return added, err
}

// GroupCommits returns how many group commits AddStats has written and how
// many records they held (for the server's metrics).
func (db *DB) GroupCommits() (groups, records uint64) { return db.queue.Counts() }

// addGroup writes the batches of group in one transaction and answers each;
// a record in several batches counts for the first. When the transaction
// fails and holds several batches, each is retried alone so one batch's
// failure is not another's.
func (db *DB) addGroup(ctx context.Context, group []*rollup.Batch) {
	owner := make(map[string]int)
	var rows []rollup.Record
	for g, req := range group {
		for _, r := range req.Rows {
			if _, ok := owner[r.Key]; !ok {
				owner[r.Key] = g
				rows = append(rows, r)
			}
		}
	}
	newKeys, err := db.insert(ctx, rows)
	if err != nil && len(group) > 1 {
		for _, req := range group {
			db.addGroup(ctx, []*rollup.Batch{req})
		}
		return
	}
	added := make([]int, len(group))
	for _, k := range newKeys {
		added[owner[k]]++
	}
	for g, req := range group {
		if err != nil {
			req.Answer(0, unavailable("add stats", err))
		} else {
			req.Answer(added[g], nil)
		}
	}
}

// insert appends rows (distinct keys) in one transaction and returns the
// keys that were new. The transaction takes two round trips (see pipeTx):
// BEGIN and the horizon's share lock with the stats, then COMMIT. The share
// lock is what lets a fold know that every id below its mark has committed
// (fold.go).
func (db *DB) insert(ctx context.Context, rows []rollup.Record) (newKeys []string, err error) {
	sort.Slice(rows, func(i, j int) bool { return rows[i].Key < rows[j].Key })
	need := make(map[seriesKey]bool)
	for _, r := range rows {
		need[seriesKey{r.Orchestrator, r.Region}] = true
	}
	ids, missing := db.series.lookup(need)
	err = db.inTx(ctx, func(tx *pipeTx) error {
		var horizon int64 // unused: the share lock is what counts
		shareHorizon(tx, &horizon)
		if err := createSeries(ctx, tx, missing, ids); err != nil {
			return fmt.Errorf("series: %w", err)
		}
		n := len(rows)
		var (
			keys, testIDs, errs              = make([]string, n), make([]string, n), make([]string, n)
			series, ts, sent, recv, vr, vf   = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
			sr, sd, up, down, tc, rtt        = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			sdu, rttu, sre9, upu, tcu, downu = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
			costTickets                      = make([]*int64, n)
			costFace, costEV                 = make([]*string, n), make([]*string, n)
		)
		for i, r := range rows {
			a := r.Agg
			keys[i], testIDs[i], errs[i] = r.Key, r.TestID, r.Errors
			series[i], ts[i] = ids[seriesKey{r.Orchestrator, r.Region}], r.Timestamp
			sent[i], recv[i] = int64(r.SegmentsSent), int64(r.SegmentsReceived)
			vr[i], vf[i] = int64(r.VerifiedRenditions), int64(r.VerificationFailures)
			sr[i], sd[i], up[i], down[i], tc[i], rtt[i] = r.SuccessRate, r.SegDuration, r.UploadTime, r.DownloadTime, r.TranscodeTime, r.RoundTripTime
			sdu[i], rttu[i], sre9[i] = a.SumSegDuration, a.SumRoundTrip, a.SumSuccessRate
			upu[i], tcu[i], downu[i] = a.SumUpload, a.SumTranscode, a.SumDownload
			costTickets[i], costFace[i], costEV[i] = rollup.CostValues(r.Stats)
		}
		err := tx.Query(ctx, func(res pgx.Rows) (err error) {
			newKeys, err = pgx.AppendRows(newKeys[:0], res, pgx.RowTo[string])
			return err
		}, insertStats, keys, series, ts, testIDs, sent, recv, sr, sd, up, down, tc, rtt,
			errs, vr, vf, sdu, rttu, sre9, upu, tcu, downu, db.Now(), costTickets, costFace, costEV)
		if err != nil {
			return fmt.Errorf("insert stats: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	db.series.remember(ids)
	return newKeys, nil
}

// ScanAggregates answers q with a plain GROUP BY over the raw records in the
// window: the baseline Aggregates is checked and measured against.
func (db *DB) ScanAggregates(ctx context.Context, q podium.StatsQuery) ([]podium.Aggregate, error) {
	query, args := rollup.ScanSQL(dialect, q)
	return db.aggregates(ctx, query, args)
}

func (db *DB) aggregates(ctx context.Context, query string, args []any) ([]podium.Aggregate, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, unavailable("aggregate stats", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (podium.Aggregate, error) {
		return rollup.ScanAggregate(r.Scan)
	})
	if err != nil {
		return nil, unavailable("aggregate stats", err)
	}
	return out, nil
}

// RawStats returns the records of q newest first, ties broken by region,
// orchestrator and key, at most q.Limit when set.
func (db *DB) RawStats(ctx context.Context, q podium.StatsQuery) ([]podium.Stats, error) {
	query, args := rollup.RawSQL(dialect, q)
	query = strings.Replace(query, "s.errors", "s.errors::text", 1)
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, unavailable("raw stats", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (podium.Stats, error) {
		return rollup.ScanRaw(r.Scan)
	})
	if err != nil {
		return nil, unavailable("raw stats", err)
	}
	return out, nil
}

// Costs totals the costs of q's paid tests per region, and per UTC day
// when q.Daily, sorted by day then region.
func (db *DB) Costs(ctx context.Context, q podium.CostQuery) ([]podium.CostTotal, error) {
	query, args := rollup.CostSQL(dialect, q)
	rows, err := db.pool.Query(ctx, query, args...)
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

// RebuildRollups recomputes every rollup from the raw records, and packs
// again the sealed ones, in one transaction; every record is folded then.
func (db *DB) RebuildRollups(ctx context.Context) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var horizon int64
		if err := tx.QueryRow(ctx, "SELECT horizon FROM rollup_horizon FOR UPDATE").Scan(&horizon); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "LOCK TABLE rollups IN EXCLUSIVE MODE"); err != nil {
			return err
		}
		stmts := append(rollup.RebuildSQL(dialect, ""), "DELETE FROM rollup_packs")
		for _, stmt := range stmts {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("rebuild rollups: %w", err)
			}
		}
		if err := seal(ctx, tx, math.MinInt64/4, horizon); err != nil {
			return fmt.Errorf("rebuild packs: %w", err)
		}
		// No writer holds the horizon, so every id so far has committed
		// and is in the rebuilt rollups; a fold waits for the mark.
		if _, err := tx.Exec(ctx, "UPDATE fold_state SET seq = (SELECT coalesce(max(id), 0) FROM stats)"); err != nil {
			return fmt.Errorf("rebuild rollups: fold mark: %w", err)
		}
		return nil
	})
}
