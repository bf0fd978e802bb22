package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// dialect is SQLite's SQL for the shared statements.
var dialect = rollup.Dialect{Placeholder: "?%d", SumFormat: "sum(%s)", MergeBuckets: true}

const insertStats = `INSERT INTO stats (record_key, series, ts, test_id, segments_sent,
	segments_received, success_rate, seg_duration, upload_time, download_time, transcode_time,
	round_trip_time, errors, verified_renditions, verification_failures, seg_duration_us,
	round_trip_us, success_rate_e9, upload_us, transcode_us, download_us, received_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (record_key) DO NOTHING`

// AddStats stores recs and their rollups in one durable transaction. A
// record whose key (podium.Stats.Key) is already stored is skipped; added
// counts the new ones.
//
// Concurrent calls are committed together (group commit): the caller that
// gets the write lock writes every batch queued so far in one transaction,
// and each caller returns once the transaction holding its records is
// durable. One fsync then serves many posters.
func (db *DB) AddStats(ctx context.Context, recs []podium.Stats) (added int, err error) {
	rows, err := rollup.Prepare(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	req := &addRequest{rows: rows, done: make(chan addResult, 1)}
	db.qmu.Lock()
	db.queue = append(db.queue, req)
	db.qmu.Unlock()

	db.wmu.Lock()
	select {
	case res := <-req.done: // an earlier caller wrote our batch
		db.wmu.Unlock()
		return res.added, res.err
	default:
	}
	db.qmu.Lock()
	group := db.queue
	db.queue = nil
	db.qmu.Unlock()
	db.addGroup(context.WithoutCancel(ctx), group)
	db.wmu.Unlock()
	res := <-req.done
	return res.added, res.err
}

// addRequest is one AddStats call waiting for a transaction.
type addRequest struct {
	rows []rollup.Record
	done chan addResult
}

type addResult struct {
	added int
	err   error
}

// addGroup writes the batches of group in one transaction and answers each.
// The caller holds wmu. When the transaction fails and holds several
// batches, each is retried alone so one batch's failure is not another's.
func (db *DB) addGroup(ctx context.Context, group []*addRequest) {
	added, err := db.insert(ctx, group)
	if err != nil && len(group) > 1 {
		for _, req := range group {
			db.addGroup(ctx, []*addRequest{req})
		}
		return
	}
	for i, req := range group {
		if err != nil {
			req.done <- addResult{err: unavailable("add stats", err)}
		} else {
			req.done <- addResult{added: added[i]}
		}
	}
}

// insert writes the records of group and their rollups in one transaction
// and returns how many of each batch were new. The caller holds wmu.
func (db *DB) insert(ctx context.Context, group []*addRequest) ([]int, error) {
	receivedAt := db.Now().UnixMilli()
	ids := make(map[seriesKey]int64)
	added := make([]int, len(group))
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, insertStats)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	deltas := make(rollup.Deltas)
	for g, req := range group {
		for _, r := range req.rows {
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
			a := r.Agg
			res, err := ins.ExecContext(ctx, r.Key, id, r.Timestamp, r.TestID, r.SegmentsSent,
				r.SegmentsReceived, r.SuccessRate, r.SegDuration, r.UploadTime, r.DownloadTime,
				r.TranscodeTime, r.RoundTripTime, r.Errors, r.VerifiedRenditions,
				r.VerificationFailures, a.SumSegDuration, a.SumRoundTrip, a.SumSuccessRate,
				a.SumUpload, a.SumTranscode, a.SumDownload, receivedAt)
			if err != nil {
				return nil, fmt.Errorf("insert %s: %w", r.Key, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return nil, err
			} else if n == 0 {
				continue
			}
			added[g]++
			deltas.Add(id, r.Stats)
		}
	}
	if err := writeDeltas(ctx, tx, deltas); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	db.series.remember(ids)
	return added, nil
}

// writeDeltas adds the sums of newly inserted records to their rollups.
func writeDeltas(ctx context.Context, tx *sql.Tx, deltas rollup.Deltas) error {
	if len(deltas) == 0 {
		return nil
	}
	up, err := tx.PrepareContext(ctx, rollup.UpsertRollupSQL(dialect))
	if err != nil {
		return err
	}
	defer up.Close()
	for _, c := range deltas.Sorted() {
		if _, err := up.ExecContext(ctx, rollup.CellArgs(c, deltas[c])...); err != nil {
			return fmt.Errorf("rollup %+v: %w", c, err)
		}
	}
	return nil
}

// Aggregates answers q from whole rollup buckets plus raw edges; the result
// equals ScanAggregates(q) exactly.
func (db *DB) Aggregates(ctx context.Context, q podium.StatsQuery) ([]podium.Aggregate, error) {
	query, args := rollup.AggregateSQL(dialect, q)
	if query == "" {
		return nil, nil
	}
	return db.aggregates(ctx, query, args)
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

// RebuildRollups recomputes every rollup from the raw records in one
// transaction.
func (db *DB) RebuildRollups(ctx context.Context) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		for _, stmt := range rollup.RebuildSQL(dialect) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("rebuild rollups: %w", err)
			}
		}
		return nil
	})
}
