package postgres

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// Packs (see store/rollup/packs.go). A 7-day window reads about fifteen
// rollup cells per series; with a thousand series PostgreSQL spends most of
// the query summing those rows one by one. Sealed cells are kept again
// packed, BlockSize series to a rollup_packs row (migration 0003), in the
// compact entry layout (store/rollup/entry.go), and summed here in Go.
// Writers hold the horizon row FOR SHARE while they write; the packer holds
// it FOR UPDATE.

// BlockSize is how many series (by ID) share one packed row.
const BlockSize = rollup.PackBlock

// fixedSize is the bytes of an entry made in SQL (entrySQL): the
// rollup.Entry values as big-endian int8 (int8send), not the compact
// layout rollup_packs holds.
const fixedSize = 8 * rollup.EntryValues

// entrySQL is the SQL expression making a fixed-size entry of one row of
// rollups (tests "tests") or of stats (tests "1"), for the cells a query
// reads unpacked.
func entrySQL(tests string) string {
	parts := []string{"int8send(series)", "int8send((" + tests + ")::int8)"}
	for _, c := range rollup.SumColumns {
		parts = append(parts, "int8send("+c+")")
	}
	return strings.Join(parts, " || ")
}

// cellColumns are the rollups columns scanCells reads, in order.
var cellColumns = "width, bucket, series, tests, " + strings.Join(rollup.SumColumns, ", ")

// sealCells lists the rollups of one width whose buckets are in ($2, $3],
// in key order, from after the cell ($4, $5), $6 at a time.
var sealCells = fmt.Sprintf(`SELECT %s FROM rollups
	WHERE width = $1 AND bucket > $2 AND bucket <= $3 AND (bucket, series) > ($4, $5)
	ORDER BY bucket, series LIMIT $6`, cellColumns)

// sealPage is how many cells Pack reads at once (tests make it small).
var sealPage = 20000

// blockCells lists the rollups of the listed blocks, in key order.
var blockCells = fmt.Sprintf(`SELECT %s FROM rollups r
	JOIN unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u(w, b, k)
	ON r.width = u.w AND r.bucket = u.b AND r.series >= u.k * %d AND r.series < (u.k + 1) * %d
	ORDER BY r.width, r.bucket, r.series`, strings.ReplaceAll(cellColumns, ", ", ", r."), BlockSize, BlockSize)

// appendPacks adds entries to packed rows, creating the missing ones, and
// says which rows now hold more entries than a block has series.
var appendPacks = fmt.Sprintf(`INSERT INTO rollup_packs AS p (width, bucket, block, entry_count, entries)
	SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::bytea[])
	ON CONFLICT (width, bucket, block) DO UPDATE
	SET entries = p.entries || excluded.entries, entry_count = p.entry_count + excluded.entry_count
	RETURNING width, bucket, block, entry_count > %d`, BlockSize)

// replacePacks overwrites packed rows.
const replacePacks = `UPDATE rollup_packs p SET entry_count = u.n, entries = u.e
	FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::bytea[]) AS u(w, b, k, n, e)
	WHERE p.width = u.w AND p.bucket = u.b AND p.block = u.k`

// packs collects packed rows, one array per column, as statements take them.
type packs struct {
	widths, buckets, blocks []int64
	counts                  []int32
	entries                 [][]byte
}

// add adds the entry of series with sums a to the row of its cell's block,
// which is the last row or a new one (cells come in key order).
func (p *packs) add(width, bucket, series int64, a podium.Aggregate) {
	blk := series / BlockSize
	n := len(p.blocks)
	if n == 0 || p.widths[n-1] != width || p.buckets[n-1] != bucket || p.blocks[n-1] != blk {
		p.widths, p.buckets, p.blocks = append(p.widths, width), append(p.buckets, bucket), append(p.blocks, blk)
		p.counts, p.entries = append(p.counts, 0), append(p.entries, nil)
		n++
	}
	p.counts[n-1]++
	p.entries[n-1] = rollup.AppendCompact(p.entries[n-1], rollup.NewEntry(series, a))
}

// args returns the arrays as statement parameters.
func (p *packs) args() []any {
	return []any{p.widths, p.buckets, p.blocks, p.counts, p.entries}
}

// scanCells adds the cells of rows (cellColumns, in key order) to p and
// returns how many there were and the last one's bucket and series.
func scanCells(rows pgx.Rows, p *packs) (n int, bucket, series int64, err error) {
	var width int64
	var a podium.Aggregate
	_, err = pgx.ForEachRow(rows, []any{&width, &bucket, &series, &a.Tests, &a.SumSegDuration,
		&a.SumRoundTrip, &a.SumSuccessRate, &a.SumUpload, &a.SumTranscode, &a.SumDownload,
		&a.SegmentsSent, &a.SegmentsReceived, &a.VerifiedRenditions, &a.VerificationFailures}, func() error {
		n++
		p.add(width, bucket, series, a)
		return nil
	})
	return n, bucket, series, err
}

// seal packs the rollups of every width whose cells end in (old, horizon],
// replacing any packs there.
func seal(ctx context.Context, tx pgx.Tx, old, horizon int64) error {
	for _, w := range rollup.Widths {
		if _, err := tx.Exec(ctx, "DELETE FROM rollup_packs WHERE width = $1 AND bucket > $2 AND bucket <= $3",
			w, old-w, horizon-w); err != nil {
			return err
		}
		// The scan starts at the range's first bucket: PostgreSQL starts
		// an index scan at the row comparison's key, so the key must not
		// lie before the range.
		after, series := old-w, int64(math.MinInt64)
		for {
			var p packs
			rows, err := tx.Query(ctx, sealCells, w, old-w, horizon-w, after, series, sealPage)
			if err != nil {
				return fmt.Errorf("width %d: %w", w, err)
			}
			n, b, s, err := scanCells(rows, &p)
			if err != nil {
				return fmt.Errorf("width %d: %w", w, err)
			}
			if n == 0 {
				break
			}
			// A block cut by the page boundary is appended to.
			if _, err := tx.Exec(ctx, appendPacks, p.args()...); err != nil {
				return fmt.Errorf("width %d: %w", w, err)
			}
			if n < sealPage {
				break
			}
			after, series = b, s
		}
	}
	return nil
}

// Pack seals every rollup cell whose bucket ends at or before horizon
// (rounded down to the smallest width): it packs their sums and moves the
// horizon there, rollup.PackStep at a time, each step one transaction. A horizon
// at or before the current one changes nothing. Writers wait while a step
// runs.
func (db *DB) Pack(ctx context.Context, horizon int64) error {
	horizon = rollup.Floor(horizon, rollup.Widths[0])
	for {
		done, err := db.packStep(ctx, horizon)
		if err != nil {
			return unavailable("pack rollups", err)
		}
		if done {
			return nil
		}
	}
}

// packStep moves the horizon toward target by at most rollup.PackStep past the
// next cell's end, and says whether it got there.
func (db *DB) packStep(ctx context.Context, target int64) (done bool, err error) {
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var old int64
		if err := tx.QueryRow(ctx, "SELECT horizon FROM rollup_horizon FOR UPDATE").Scan(&old); err != nil {
			return err
		}
		if target <= old {
			done = true
			return nil
		}
		// No cell ends in (old, next - smallest width]: skip that time
		// at once (before the first records, or a long outage).
		from := target // no cell left to seal
		for _, w := range rollup.Widths {
			var b *int64
			if err := tx.QueryRow(ctx, "SELECT min(bucket) FROM rollups WHERE width = $1 AND bucket > $2", w, old-w).Scan(&b); err != nil {
				return err
			}
			if b != nil {
				from = min(from, max(old, *b+w-rollup.Widths[0]))
			}
		}
		to := min(target, from+rollup.PackStep)
		if err := seal(ctx, tx, from, to); err != nil {
			return err
		}
		done = to == target
		_, err := tx.Exec(ctx, "UPDATE rollup_horizon SET horizon = $1", to)
		return err
	})
	return done, err
}

// shareHorizon queues, in tx's next round trip, the share lock on the
// horizon that keeps the packer from sealing a cell tx changes, and the
// reading of the horizon into h.
func shareHorizon(tx *pipeTx, h *int64) {
	tx.QueueRow(func(r pgx.Row) error {
		if err := r.Scan(h); err != nil {
			return fmt.Errorf("horizon: %w", err)
		}
		return nil
	}, "SELECT horizon FROM rollup_horizon FOR SHARE")
}

// writeLatePacks appends to the packs the deltas of cells sealed before
// horizon, and packs again the rows that grew past a block's worth of
// entries. Cells are taken in Sorted order, so rows are locked in key order.
// Without late cells it adds nothing to tx; with some, one round trip (two
// when a row is repacked).
func writeLatePacks(ctx context.Context, tx *pipeTx, deltas rollup.Deltas, horizon int64) error {
	var late packs
	for _, c := range deltas.Sorted() {
		if c.Bucket+c.Width <= horizon {
			late.add(c.Width, c.Bucket, c.Series, deltas[c])
		}
	}
	if len(late.blocks) == 0 {
		return nil
	}
	var full [3][]int64
	err := tx.Query(ctx, func(rows pgx.Rows) error {
		var w, b, k int64
		var grown bool
		_, err := pgx.ForEachRow(rows, []any{&w, &b, &k, &grown}, func() error {
			if grown {
				full[0], full[1], full[2] = append(full[0], w), append(full[1], b), append(full[2], k)
			}
			return nil
		})
		return err
	}, appendPacks, late.args()...)
	if err != nil {
		return fmt.Errorf("append packs: %w", err)
	}
	if len(full[0]) == 0 {
		return nil
	}
	var p packs
	err = tx.Query(ctx, func(rows pgx.Rows) error {
		_, _, _, err := scanCells(rows, &p)
		return err
	}, blockCells, full[0], full[1], full[2])
	if err != nil {
		return fmt.Errorf("repack: %w", err)
	}
	tx.Queue(replacePacks, p.args()...)
	return nil
}

// eachEntry calls f with every entry in b: compact (rollup.EachCompact),
// or when fixed made by entrySQL.
func eachEntry(b []byte, fixed bool, f func(e *rollup.Entry) error) error {
	if !fixed {
		return rollup.EachCompact(b, f)
	}
	if len(b)%fixedSize != 0 {
		return fmt.Errorf("rollup entries: %d bytes is not a whole number of %d-byte entries", len(b), fixedSize)
	}
	var e rollup.Entry
	for ; len(b) > 0; b = b[fixedSize:] {
		for i := range e {
			e[i] = int64(binary.BigEndian.Uint64(b[8*i:]))
		}
		if err := f(&e); err != nil {
			return err
		}
	}
	return nil
}

// sums adds up entries by series.
type sums struct {
	dense  []podium.Aggregate // by series ID, for IDs below maxDense
	sparse map[int64]*podium.Aggregate
}

// maxDense bounds the series IDs summed in a slice rather than a map.
const maxDense = 1 << 16

// of returns the sums of series id.
func (s *sums) of(id int64) *podium.Aggregate {
	if id >= 0 && id < maxDense {
		if id >= int64(len(s.dense)) {
			s.dense = append(s.dense, make([]podium.Aggregate, int(id)+1-len(s.dense)+len(s.dense)/2)...)
		}
		return &s.dense[id]
	}
	if s.sparse == nil {
		s.sparse = make(map[int64]*podium.Aggregate)
	}
	a := s.sparse[id]
	if a == nil {
		a = new(podium.Aggregate)
		s.sparse[id] = a
	}
	return a
}

// each calls f with every series that has tests.
func (s *sums) each(f func(id int64, a *podium.Aggregate)) {
	for id := range s.dense {
		if s.dense[id].Tests != 0 {
			f(int64(id), &s.dense[id])
		}
	}
	for id, a := range s.sparse {
		if a.Tests != 0 {
			f(id, a)
		}
	}
}

// add adds the entries in b: compact or, when fixed, made by entrySQL.
func (s *sums) add(b []byte, fixed bool) error {
	return eachEntry(b, fixed, func(e *rollup.Entry) error { return e.AddTo(s.of(e.Series())) })
}
