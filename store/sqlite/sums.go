package sqlite

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"

	"modernc.org/sqlite"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// A rollup row keeps its eleven sums in one BLOB column, "packed": the
// fields of podium.Aggregate from Tests to VerificationFailures, in order,
// each a little-endian int64 (packedSize bytes). A 7-day query reads about
// 15,000 rollup rows; with the driver, moving eleven columns of each through
// SQLite's sorter cost about four times more than one blob summed by the
// podium_sums aggregate below, which also needs no GROUP BY sort.
const (
	packedFields = 11
	packedSize   = 8 * packedFields
)

// pack returns the packed form of a's sums.
func pack(a podium.Aggregate) []byte {
	b := make([]byte, packedSize)
	for i, v := range fields(&a) {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(*v))
	}
	return b
}

// addPacked adds the packed sums p to a. The sums are integers; an overflow
// (impossible for any real data) is an error rather than a wrong answer.
func addPacked(a *podium.Aggregate, p []byte) error {
	if len(p) != packedSize {
		return fmt.Errorf("packed sums have %d bytes, want %d", len(p), packedSize)
	}
	for i, v := range fields(a) {
		x := int64(binary.LittleEndian.Uint64(p[8*i:]))
		s := *v + x
		if (x > 0 && s < *v) || (x < 0 && s > *v) {
			return fmt.Errorf("rollup sum overflows int64")
		}
		*v = s
	}
	return nil
}

// fields returns pointers to a's sums in packed order.
func fields(a *podium.Aggregate) [packedFields]*int64 {
	return [packedFields]*int64{&a.Tests, &a.SumSegDuration, &a.SumRoundTrip,
		&a.SumSuccessRate, &a.SumUpload, &a.SumTranscode, &a.SumDownload,
		&a.SegmentsSent, &a.SegmentsReceived, &a.VerifiedRenditions, &a.VerificationFailures}
}

// SQL functions over packed sums, registered with the driver for every
// connection:
//
//	podium_pack(tests, seg_duration_us, …, verification_failures) → packed
//	podium_add(packed, packed) → packed
//	podium_sums(series, packed) → one row per series, encoded by sumsResult;
//	                              a row of series packedRow is a packed row
func init() {
	sqlite.MustRegisterFunction("podium_pack", &sqlite.FunctionImpl{
		NArgs: packedFields, Deterministic: true,
		Scalar: func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			var a podium.Aggregate
			for i, v := range fields(&a) {
				n, ok := args[i].(int64)
				if !ok {
					return nil, fmt.Errorf("podium_pack: argument %d is %T, not an integer", i+1, args[i])
				}
				*v = n
			}
			return pack(a), nil
		},
	})
	sqlite.MustRegisterFunction("podium_add", &sqlite.FunctionImpl{
		NArgs: 2, Deterministic: true,
		Scalar: func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			var a podium.Aggregate
			for _, arg := range args {
				p, _ := arg.([]byte)
				if err := addPacked(&a, p); err != nil {
					return nil, fmt.Errorf("podium_add: %w", err)
				}
			}
			return pack(a), nil
		},
	})
	sqlite.MustRegisterFunction("podium_sums", &sqlite.FunctionImpl{
		NArgs: 2, Deterministic: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) {
			return &sumsAggregate{series: make(map[int64]*podium.Aggregate)}, nil
		},
	})
}

// sumsAggregate is podium_sums: it groups by series itself, in a map.
type sumsAggregate struct {
	series map[int64]*podium.Aggregate
}

func (s *sumsAggregate) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	id, ok := args[0].(int64)
	p, ok2 := args[1].([]byte)
	if !ok || !ok2 {
		return fmt.Errorf("podium_sums: want (integer, blob), got (%T, %T)", args[0], args[1])
	}
	if id == packedRow {
		return addEntries(s.series, p)
	}
	a := s.series[id]
	if a == nil {
		a = new(podium.Aggregate)
		s.series[id] = a
	}
	return addPacked(a, p)
}

func (s *sumsAggregate) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("podium_sums is not a window function")
}

func (s *sumsAggregate) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	return sumsResult(s.series), nil
}

func (s *sumsAggregate) Final(*sqlite.FunctionContext) {}

// sumsResult encodes per-series sums as entries in the fixed layout
// (store/rollup/entry.go).
func sumsResult(m map[int64]*podium.Aggregate) []byte {
	out := make([]byte, 0, len(m)*rollup.FixedSize)
	for id, a := range m {
		out = rollup.AppendFixed(out, rollup.NewEntry(id, *a))
	}
	return out
}

// decodeSums parses what sumsResult encoded.
func decodeSums(b []byte) (map[int64]podium.Aggregate, error) {
	m := make(map[int64]podium.Aggregate, len(b)/rollup.FixedSize)
	err := rollup.EachFixed(b, func(e *rollup.Entry) error {
		var a podium.Aggregate
		if err := e.AddTo(&a); err != nil {
			return err
		}
		m[e.Series()] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("podium_sums result: %w", err)
	}
	return m, nil
}
