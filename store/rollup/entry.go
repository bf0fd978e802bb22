package rollup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"

	"github.com/podiumhq/podium"
)

// Packed entries. A rollup_packs row holds one entry per series of its
// block: the series and the sums of its cell. Both stores read and write
// entries here, in one of two layouts, because each has databases in use
// holding its own:
//
//   - fixed (SQLite): every value a little-endian int64, FixedSize bytes an
//     entry. SQLite sums entries in Go inside the query (podium_sums), so
//     their size costs little; its rollups keep their sums in the same
//     layout, without the series.
//   - compact (PostgreSQL): a header of EntryValues 4-bit lengths (two a
//     byte, low nibble first), then each value in that many little-endian
//     bytes (the value's two's complement, so a negative one takes 8).
//     PostgreSQL sends the entries to Go to be summed, and most values are
//     small, so they cross the connection in a few bytes each.
//
// An entry_count column counts a row's entries in either layout.

// EntryValues is how many values one entry has: the series, the tests
// count and the SumColumns.
const EntryValues = 12

// FixedSize is the bytes of an entry in the fixed layout.
const FixedSize = 8 * EntryValues

// compactHeader is the bytes of a compact entry's header.
const compactHeader = EntryValues / 2

// Entry is the values of one packed entry: the series, then the sums of
// podium.Aggregate from Tests to VerificationFailures, in order (the order
// of SumColumns after the tests).
type Entry [EntryValues]int64

// NewEntry returns the entry of series with sums a.
func NewEntry(series int64, a podium.Aggregate) Entry {
	return Entry{series, a.Tests, a.SumSegDuration, a.SumRoundTrip,
		a.SumSuccessRate, a.SumUpload, a.SumTranscode, a.SumDownload, a.SegmentsSent,
		a.SegmentsReceived, a.VerifiedRenditions, a.VerificationFailures}
}

// Series returns the entry's series ID.
func (e *Entry) Series() int64 { return e[0] }

// ErrOverflow reports sums past int64, impossible for any real data: an
// error rather than a wrong answer.
var ErrOverflow = errors.New("rollup sum overflows int64")

// AddTo adds the entry's sums to a.
func (e *Entry) AddTo(a *podium.Aggregate) error {
	over := add(&a.Tests, e[1]) | add(&a.SumSegDuration, e[2]) | add(&a.SumRoundTrip, e[3]) |
		add(&a.SumSuccessRate, e[4]) | add(&a.SumUpload, e[5]) | add(&a.SumTranscode, e[6]) |
		add(&a.SumDownload, e[7]) | add(&a.SegmentsSent, e[8]) | add(&a.SegmentsReceived, e[9]) |
		add(&a.VerifiedRenditions, e[10]) | add(&a.VerificationFailures, e[11])
	if over < 0 {
		return ErrOverflow
	}
	return nil
}

// add adds v to *sum and returns a value whose sign bit says whether the
// addition overflowed.
func add(sum *int64, v int64) int64 {
	s := *sum + v
	over := (*sum ^ s) & (v ^ s)
	*sum = s
	return over
}

// AppendFixed appends e in the fixed layout to b.
func AppendFixed(b []byte, e Entry) []byte {
	for _, v := range e {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	return b
}

// EachFixed calls f with every entry of b, in the fixed layout, and stops
// at f's first error.
func EachFixed(b []byte, f func(e *Entry) error) error {
	if len(b)%FixedSize != 0 {
		return fmt.Errorf("packed rollups: %d bytes is not a whole number of %d-byte entries", len(b), FixedSize)
	}
	var e Entry
	for ; len(b) > 0; b = b[FixedSize:] {
		for i := range e {
			e[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
		}
		if err := f(&e); err != nil {
			return err
		}
	}
	return nil
}

// AppendCompact appends e in the compact layout to b.
func AppendCompact(b []byte, e Entry) []byte {
	head := len(b)
	b = append(b, make([]byte, compactHeader)...)
	for i, v := range e {
		n := (bits.Len64(uint64(v)) + 7) / 8
		b = binary.LittleEndian.AppendUint64(b, uint64(v))[:len(b)+n]
		b[head+i/2] |= byte(n) << (4 * (i % 2))
	}
	return b
}

// lowBytes[n] masks the n low bytes of a uint64.
var lowBytes = [9]uint64{0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff, 0xffffffffffffff, ^uint64(0)}

// errBadEntry reports compact entries that do not decode.
var errBadEntry = errors.New("packed rollups: an entry is cut short or corrupt")

// EachCompact calls f with every entry of b, in the compact layout, and
// stops at f's first error. Decoding is a few loads and masks per value.
func EachCompact(b []byte, f func(e *Entry) error) error {
	var e Entry
	for len(b) > 0 {
		if len(b) < compactHeader {
			return errBadEntry
		}
		head := b[:compactHeader]
		b = b[compactHeader:]
		for i := range e {
			n := int(head[i/2]>>(4*(i%2))) & 0xf
			if n > 8 || n > len(b) {
				return errBadEntry
			}
			var x uint64
			if len(b) >= 8 {
				x = binary.LittleEndian.Uint64(b)
			} else {
				var tail [8]byte
				copy(tail[:], b)
				x = binary.LittleEndian.Uint64(tail[:])
			}
			e[i], b = int64(x&lowBytes[n]), b[n:]
		}
		if err := f(&e); err != nil {
			return err
		}
	}
	return nil
}
