package sqlite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
)

// Every float of a record reads back bit for bit, whichever way it went in:
// ordinary magnitudes as SQL literals, others through bound
// parameters.
func TestInsertLiteral_Floats(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	rng := rand.New(rand.NewSource(3))
	recs := make([]podium.Stats, 20000)
	for i := range recs {
		s := storetest.Record(i%50, storetest.Regions[i%3], storetest.Base+int64(i))
		s.TestID = fmt.Sprintf("f-%d", i)
		f := func() float64 { return rng.Float64() * math.Pow(10, float64(rng.Intn(41)-20)) }
		if i%100 == 0 { // far outside: the bound-parameter path
			f = func() float64 { return math.Float64frombits(rng.Uint64()>>3 | 1<<62) /* finite, up to 2^512 */ }
		}
		s.SuccessRate, s.SegDuration, s.UploadTime = f(), f(), f()
		s.DownloadTime, s.TranscodeTime, s.RoundTripTime = f(), f(), f()
		recs[i] = s
	}
	if n, err := db.AddStats(ctx, recs); err != nil || n != len(recs) {
		t.Fatalf("AddStats: %d, %v", n, err)
	}
	got, err := db.RawStats(ctx, podium.StatsQuery{Since: 0, Until: storetest.Base + int64(len(recs))})
	if err != nil {
		t.Fatal(err)
	}
	byID := make(map[string]podium.Stats, len(got))
	for _, s := range got {
		byID[s.TestID] = s
	}
	for _, want := range recs {
		g := byID[want.TestID]
		for j, pair := range [][2]float64{{g.SuccessRate, want.SuccessRate}, {g.SegDuration, want.SegDuration},
			{g.UploadTime, want.UploadTime}, {g.DownloadTime, want.DownloadTime},
			{g.TranscodeTime, want.TranscodeTime}, {g.RoundTripTime, want.RoundTripTime}} {
			if math.Float64bits(pair[0]) != math.Float64bits(pair[1]) {
				t.Fatalf("%s field %d: stored %v, posted %v", want.TestID, j, pair[0], pair[1])
			}
		}
	}
}

// Text reads back as posted whichever way it went in: quotes as literals,
// a NUL through bound parameters.
func TestInsertLiteral_Text(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	ids := []string{"it's", "''", "a'b'c", "nul\x00inside", "ünï'cödé"}
	var recs []podium.Stats
	for i, id := range ids {
		s := storetest.Record(i, storetest.Regions[0], storetest.Base+int64(i))
		s.TestID = id
		s.Errors = []podium.StatsError{{ErrorCode: "E'" + id, Message: "quote ' and nul \x00"}}
		recs = append(recs, s)
	}
	if n, err := db.AddStats(ctx, recs); err != nil || n != len(recs) {
		t.Fatalf("AddStats: %d, %v", n, err)
	}
	if n, err := db.ImportStats(ctx, recs); err != nil || n != 0 {
		t.Fatalf("ImportStats again: %d, %v; want 0 new", n, err)
	}
	got, err := db.RawStats(ctx, podium.StatsQuery{Since: 0, Until: storetest.Base + int64(len(recs))})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(recs) {
		t.Fatalf("read %d records, want %d", len(got), len(recs))
	}
	byID := make(map[string]podium.Stats, len(got))
	for _, s := range got {
		byID[s.TestID] = s
	}
	for _, want := range recs {
		g, ok := byID[want.TestID]
		if !ok || len(g.Errors) != 1 || g.Errors[0] != want.Errors[0] {
			t.Errorf("%q: stored %+v, posted %+v", want.TestID, g, want)
		}
	}
}

// FuzzInsertLiteral: whatever text a poster sends as a test id or an
// error, it goes into the statement quoted (or bound, holding a NUL) and
// reads back exactly as sent: no text can end the literal early and
// become SQL of its own.
func FuzzInsertLiteral(f *testing.F) {
	for _, s := range []string{"", "'", "''", "'); DROP TABLE stats; --", "a'b\\'c", "\x00", "ünï'cödé", "\xff\xfe'"} {
		f.Add(s, s)
	}
	// One store per fuzzing process; each input its own records.
	db, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	n := 0
	f.Fuzz(func(t *testing.T, id, msg string) {
		want := msg
		if !utf8.ValidString(msg) {
			// Errors are kept as JSON, which (like the API's decoder
			// before it) spells invalid UTF-8 as U+FFFD.
			b, _ := json.Marshal(msg)
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
		}
		n++
		ts := storetest.Base + int64(n)
		s := storetest.Record(n%50, storetest.Regions[0], ts)
		s.TestID = fmt.Sprintf("%d:%s", n, id)
		s.Errors = []podium.StatsError{{ErrorCode: "E", Message: msg, Count: 1}}
		ctx := context.Background()
		if k, err := db.ImportStats(ctx, []podium.Stats{s}); err != nil || k != 1 {
			t.Fatalf("ImportStats: %d, %v", k, err)
		}
		got, err := db.RawStats(ctx, podium.StatsQuery{Since: ts, Until: ts + 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].TestID != s.TestID || len(got[0].Errors) != 1 || got[0].Errors[0].Message != want {
			t.Fatalf("stored %+v, posted test id %q, message %q", got, s.TestID, msg)
		}
	})
}
