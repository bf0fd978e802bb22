package postgres_test

import (
	"context"
	"math"
	"math/rand"
	"reflect"
	"testing"

	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/storetest"
)

// TestPacks runs the shared pack tests on stores without the background
// packer; Pack reads 7 cells a page, so blocks are cut across pages too.
func TestPacks(t *testing.T) {
	postgres.SetSealPage(t, 7)
	storetest.RunPacks(t, func(t *testing.T) storetest.Packer {
		db, err := postgres.OpenWithoutPacker(context.Background(), storetest.FreshSchema(t, storetest.PostgresDSN(t)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
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
