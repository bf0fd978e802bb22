package rollup_test

import (
	"bytes"
	"encoding/hex"
	"math"
	"math/rand"
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// layouts are the two entry layouts, by name.
var layouts = []struct {
	name   string
	append func([]byte, rollup.Entry) []byte
	each   func([]byte, func(*rollup.Entry) error) error
}{
	{"Fixed", rollup.AppendFixed, rollup.EachFixed},
	{"Compact", rollup.AppendCompact, rollup.EachCompact},
}

// decode returns the entries of b.
func decode(each func([]byte, func(*rollup.Entry) error) error, b []byte) ([]rollup.Entry, error) {
	var out []rollup.Entry
	err := each(b, func(e *rollup.Entry) error {
		out = append(out, *e)
		return nil
	})
	return out, err
}

func TestEntryValues(t *testing.T) {
	if rollup.EntryValues != 2+len(rollup.SumColumns) {
		t.Fatalf("an entry has %d values; the series, the tests and %d sums are %d", rollup.EntryValues, len(rollup.SumColumns), 2+len(rollup.SumColumns))
	}
}

// TestEntry_Bytes pins each layout's bytes: databases in use hold them.
func TestEntry_Bytes(t *testing.T) {
	e := rollup.NewEntry(17, podium.Aggregate{Tests: 2, SumSegDuration: 4_000_000, SumRoundTrip: 300,
		SumSuccessRate: -1, SegmentsSent: 1 << 40})
	for _, tc := range []struct {
		name string
		got  []byte
		want string
	}{
		{"Fixed", rollup.AppendFixed(nil, e), "1100000000000000" + "0200000000000000" + "00093d0000000000" + "2c01000000000000" +
			"ffffffffffffffff" + "0000000000000000" + "0000000000000000" + "0000000000000000" + "0000000000010000" +
			"0000000000000000" + "0000000000000000" + "0000000000000000"},
		{"Compact", rollup.AppendCompact(nil, e), "112308000600" + "11" + "02" + "00093d" + "2c01" + "ffffffffffffffff" + "000000000001"},
	} {
		if hex.EncodeToString(tc.got) != tc.want {
			t.Errorf("%s: %x, want %s", tc.name, tc.got, tc.want)
		}
	}
}

// TestEntry_RoundTrip encodes values of every size, negative ones
// included, in each layout and decodes them back.
func TestEntry_RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var want []rollup.Entry
	for range 500 {
		var e rollup.Entry
		for j := range e {
			switch rng.Intn(4) {
			case 0:
				e[j] = 0
			case 1:
				e[j] = rng.Int63n(200)
			case 2:
				e[j] = rng.Int63() >> uint(rng.Intn(63))
			default:
				e[j] = []int64{-1, math.MinInt64, math.MaxInt64, 1 << 56, -(1 << 40)}[rng.Intn(5)]
			}
		}
		want = append(want, e)
	}
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			var b []byte
			for _, e := range want {
				b = l.append(b, e)
			}
			got, err := decode(l.each, b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatal("decoded entries differ from the encoded ones")
			}
			for _, cut := range []int{1, 5, 7, len(b) - 1} {
				if _, err := decode(l.each, b[:cut]); err == nil {
					t.Errorf("%d of %d bytes decoded without an error", cut, len(b))
				}
			}
		})
	}
}

func TestEntry_AddTo(t *testing.T) {
	a := podium.Aggregate{Orchestrator: "0xa", Tests: 1, SumRoundTrip: 5, VerificationFailures: 2}
	t.Run("OK", func(t *testing.T) {
		got := a
		e := rollup.NewEntry(3, podium.Aggregate{Tests: 2, SumRoundTrip: 10, VerificationFailures: -1})
		if err := e.AddTo(&got); err != nil {
			t.Fatal(err)
		}
		want := podium.Aggregate{Orchestrator: "0xa", Tests: 3, SumRoundTrip: 15, VerificationFailures: 1}
		if got != want || e.Series() != 3 {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	})
	t.Run("ErrOverflow", func(t *testing.T) {
		for _, v := range []int64{math.MaxInt64, math.MinInt64} {
			got := podium.Aggregate{SumUpload: v / 2}
			e := rollup.NewEntry(1, podium.Aggregate{SumUpload: v})
			if err := e.AddTo(&got); err != rollup.ErrOverflow {
				t.Errorf("%d + %d: %v", v/2, v, err)
			}
		}
	})
}

// FuzzPackedEntry decodes arbitrary bytes in each layout: an error or
// entries, never a panic; what decodes encodes back to the same values
// (and, in the fixed layout, the same bytes).
func FuzzPackedEntry(f *testing.F) {
	e := rollup.Entry{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	f.Add(rollup.AppendCompact(nil, e))
	f.Add(rollup.AppendFixed(nil, e))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, l := range layouts {
			es, err := decode(l.each, b)
			if err != nil {
				continue
			}
			var again []byte
			for _, e := range es {
				again = l.append(again, e)
			}
			back, err := decode(l.each, again)
			if err != nil || !reflect.DeepEqual(back, es) {
				t.Fatalf("%s: re-encoded entries do not decode to the same values: %v", l.name, err)
			}
			if l.name == "Fixed" && !bytes.Equal(again, b) {
				t.Fatalf("Fixed: %x encodes back as %x", b, again)
			}
		}
	})
}
