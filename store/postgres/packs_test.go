package postgres_test

import (
	"context"
	"math"
	"math/rand"
	"reflect"
	"sync"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/storetest"
)

// packSpan is the time the records of the pack tests spread over.
const packSpan = 10 * 86400

// packSince is when they start.
const packSince = storetest.Base - packSpan/2

// TestPack_Exact seals cells at chosen horizons between batches of records,
// late ones included: the answers stay the records' sums, every packed row
// holds exactly the sealed cells' sums and grown rows are repacked.
func TestPack_Exact(t *testing.T) {
	ctx := context.Background()
	db := openWithoutPacker(t)
	postgres.SetSealPage(t, 7) // blocks cut across pages too
	rng := rand.New(rand.NewSource(7))
	var recs []podium.Stats
	add := func(n int, from, span int64) {
		t.Helper()
		batch := make([]podium.Stats, n)
		for i := range batch {
			batch[i] = storetest.RandomRecord(rng, 12, from, span)
		}
		if _, err := db.AddStats(ctx, batch); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, batch...)
	}
	pack := func(h int64) {
		t.Helper()
		if err := db.Pack(ctx, h); err != nil {
			t.Fatal(err)
		}
	}

	pack(packSince + 86400) // no records yet: the horizon just moves
	if got := horizon(t, db); got != packSince+86400-(packSince+86400)%300 {
		t.Fatalf("horizon %d after packing an empty store", got)
	}
	add(600, packSince, packSpan) // the first day's are late already
	checkPacked(t, db, recs, rng, "first day sealed before its records came")

	h1 := packSince + packSpan/3 + 123
	pack(h1)
	if got := horizon(t, db); got != h1-h1%300 {
		t.Fatalf("horizon %d, want %d", got, h1-h1%300)
	}
	checkPacked(t, db, recs, rng, "first third sealed")

	for i := 0; i < 40; i++ { // late records, a few at a time
		add(5, packSince, h1-packSince)
	}
	add(300, h1, packSince+packSpan-h1)
	checkPacked(t, db, recs, rng, "late records appended")

	pack(packSince + packSpan)
	pack(h1) // an older horizon changes nothing
	add(50, packSince, packSpan)
	checkPacked(t, db, recs, rng, "all sealed")

	if err := db.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	checkPacked(t, db, recs, rng, "rebuilt")
}

// TestPack_Concurrent seals cells while several writers store records on
// both sides of the moving horizon.
func TestPack_Concurrent(t *testing.T) {
	ctx := context.Background()
	db := openWithoutPacker(t)
	var (
		mu   sync.Mutex
		recs []podium.Stats
		wg   sync.WaitGroup
	)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(seed int64) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(seed))
			for b := 0; b < 25; b++ {
				batch := make([]podium.Stats, 1+rng.Intn(20))
				for i := range batch {
					batch[i] = storetest.RandomRecord(rng, 20, packSince, packSpan)
				}
				if _, err := db.AddStats(ctx, batch); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				recs = append(recs, batch...)
				mu.Unlock()
			}
		}(int64(w))
	}
	for h := packSince; h <= packSince+packSpan; h += packSpan / 20 {
		if err := db.Pack(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	checkPacked(t, db, recs, rand.New(rand.NewSource(1)), "after concurrent writes")
}

// openWithoutPacker opens a fresh schema whose cells only Pack seals.
func openWithoutPacker(t *testing.T) *postgres.DB {
	t.Helper()
	db, err := postgres.OpenWithoutPacker(context.Background(), storetest.FreshSchema(t, storetest.PostgresDSN(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// horizon reads the current horizon.
func horizon(t *testing.T, db *postgres.DB) int64 {
	t.Helper()
	var h int64
	if err := db.Pool().QueryRow(context.Background(), "SELECT horizon FROM rollup_horizon").Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

// checkPacked checks that the packs hold exactly the sums of the sealed
// rollup cells, no packed row more entries than a block has series, and
// that random windows give the records' sums.
func checkPacked(t *testing.T, db *postgres.DB, recs []podium.Stats, rng *rand.Rand, stage string) {
	t.Helper()
	ctx := context.Background()
	h := horizon(t, db)
	type cell struct{ width, bucket, series int64 }
	want := make(map[cell][11]int64)
	rows, err := db.Pool().Query(ctx, `SELECT width, bucket, series, tests, seg_duration_us, round_trip_us,
		success_rate_e9, upload_us, transcode_us, download_us, segments_sent, segments_received,
		verified_renditions, verification_failures FROM rollups WHERE bucket + width <= $1`, h)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close() // before a failure's Close of the pool
	for rows.Next() {
		var c cell
		var v [11]int64
		if err := rows.Scan(&c.width, &c.bucket, &c.series, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10]); err != nil {
			t.Fatal(err)
		}
		want[c] = v
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	got := make(map[cell][11]int64)
	packs, err := db.Pool().Query(ctx, "SELECT width, bucket, block, entry_count, entries FROM rollup_packs")
	if err != nil {
		t.Fatal(err)
	}
	defer packs.Close()
	for packs.Next() {
		var width, bucket, block int64
		var count int
		var b []byte
		if err := packs.Scan(&width, &bucket, &block, &count, &b); err != nil {
			t.Fatal(err)
		}
		if bucket+width > h {
			t.Fatalf("%s: packed cell (%d, %d) ends after the horizon %d", stage, width, bucket, h)
		}
		entries := 0
		err := postgres.EachPacked(b, func(v *[12]int64) {
			entries++
			c := cell{width, bucket, v[0]}
			if c.series/postgres.BlockSize != block {
				t.Errorf("%s: series %d packed in block %d", stage, c.series, block)
			}
			sums := got[c]
			for i := range sums {
				sums[i] += v[i+1]
			}
			got[c] = sums
		})
		if err != nil {
			t.Fatalf("%s: packed row (%d, %d, %d): %v", stage, width, bucket, block, err)
		}
		if entries != count || count > postgres.BlockSize {
			t.Fatalf("%s: packed row (%d, %d, %d) has %d entries, counted %d: want at most %d", stage, width, bucket, block, entries, count, postgres.BlockSize)
		}
	}
	if packs.Err() != nil {
		t.Fatal(packs.Err())
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: packs hold %d cells, sealed rollups %d, or their sums differ", stage, len(got), len(want))
	}

	distinct := storetest.Distinct(recs)
	for i := 0; i < 60; i++ {
		since := packSince - 3600 + rng.Int63n(packSpan+7200)
		q := podium.StatsQuery{Since: since, Until: since + []int64{rng.Int63n(7200), rng.Int63n(2 * 86400), 7 * 86400}[rng.Intn(3)]}
		switch rng.Intn(4) {
		case 0:
			q.Orchestrator = storetest.Orchestrator(rng.Intn(12))
		case 1:
			q.Region = storetest.Regions[rng.Intn(len(storetest.Regions))]
		}
		got, err := db.Aggregates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if want := storetest.Expect(distinct, q); !(len(got) == 0 && len(want) == 0) && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Aggregates(%+v):\n got  %+v\n want %+v", stage, q, got, want)
		}
	}
}

// TestPackedEntry_RoundTrip encodes values of every size, negative ones
// included, and decodes them back.
func TestPackedEntry_RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var want [][12]int64
	var b []byte
	for i := 0; i < 500; i++ {
		var v [12]int64
		for j := range v {
			switch rng.Intn(4) {
			case 0:
				v[j] = 0
			case 1:
				v[j] = rng.Int63n(200)
			case 2:
				v[j] = rng.Int63() >> uint(rng.Intn(63))
			default:
				v[j] = []int64{-1, math.MinInt64, math.MaxInt64, 1 << 56, -(1 << 40)}[rng.Intn(5)]
			}
		}
		want = append(want, v)
		b = postgres.AppendPacked(b, v)
	}
	var got [][12]int64
	if err := postgres.EachPacked(b, func(v *[12]int64) { got = append(got, *v) }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("decoded entries differ from the encoded ones")
	}
	for _, cut := range []int{1, 5, 7, len(b) - 1} {
		if err := postgres.EachPacked(b[:cut], func(*[12]int64) {}); err == nil {
			t.Errorf("%d of %d bytes decoded without an error", cut, len(b))
		}
	}
}

// FuzzPackedEntry decodes arbitrary bytes: an error or entries, never a
// panic; what decodes encodes back to the same values.
func FuzzPackedEntry(f *testing.F) {
	f.Add(postgres.AppendPacked(nil, [12]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		var vs [][12]int64
		if err := postgres.EachPacked(b, func(v *[12]int64) { vs = append(vs, *v) }); err != nil {
			return
		}
		var again []byte
		for _, v := range vs {
			again = postgres.AppendPacked(again, v)
		}
		var back [][12]int64
		if err := postgres.EachPacked(again, func(v *[12]int64) { back = append(back, *v) }); err != nil || !reflect.DeepEqual(back, vs) {
			t.Fatalf("re-encoded entries do not decode to the same values: %v", err)
		}
	})
}
