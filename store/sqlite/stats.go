package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// dialect is SQLite's SQL for the shared statements.
var dialect = rollup.Dialect{Placeholder: "?%d", SumFormat: "sum(%s)"}

const insertStats = `INSERT INTO stats (record_key, series, ts, test_id, segments_sent,
	segments_received, success_rate, seg_duration, upload_time, download_time, transcode_time,
	round_trip_time, errors, verified_renditions, verification_failures, seg_duration_us,
	round_trip_us, success_rate_e9, upload_us, transcode_us, download_us, received_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (record_key) DO NOTHING`

// AddStats stores recs and their rollups in one durable transaction. A
// record whose key (podium.Stats.Key) is already stored is skipped; added
// counts the new ones.
func (db *DB) AddStats(ctx context.Context, recs []podium.Stats) (added int, err error) {
	rows, err := rollup.Prepare(recs)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	receivedAt := db.Now().UnixMilli()
	ids := make(map[seriesKey]int64)
	err = db.Write(ctx, func(tx *sql.Tx) error {
		added = 0
		clear(ids)
		ins, err := tx.PrepareContext(ctx, insertStats)
		if err != nil {
			return err
		}
		defer ins.Close()
		deltas := make(rollup.Deltas)
		for _, r := range rows {
			k := seriesKey{r.Orchestrator, r.Region}
			id, ok := ids[k]
			if !ok {
				if id, ok = db.series.get(k); !ok {
					if id, err = seriesID(ctx, tx, k); err != nil {
						return fmt.Errorf("series: %w", err)
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
				return fmt.Errorf("insert %s: %w", r.Key, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				continue
			}
			added++
			deltas.Add(id, r.Stats)
		}
		return writeDeltas(ctx, tx, deltas)
	})
	if err != nil {
		return 0, unavailable("add stats", err)
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
