package snapshot_test

import (
	"sort"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/snapshot"
)

func TestDigest(t *testing.T) {
	recs := round1.Records()[:50]
	d1, err := snapshot.Digest(recs)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OKOrderFree", func(t *testing.T) {
		rev := make([]podium.Stats, len(recs))
		for i := range recs {
			rev[len(recs)-1-i] = recs[i]
		}
		if d2, _ := snapshot.Digest(rev); d2 != d1 {
			t.Fatal("the digest depends on the order the store returns")
		}
	})
	t.Run("OKNilErrorsAsEmpty", func(t *testing.T) {
		c := append([]podium.Stats{}, recs...)
		c[0].Errors = []podium.StatsError{}
		if d2, _ := snapshot.Digest(c); d2 != d1 {
			t.Fatal("nil and empty error lists digest differently")
		}
	})
	t.Run("OKChunks", func(t *testing.T) {
		var d snapshot.Digester
		sorted := append([]podium.Stats{}, recs...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i].Timestamp < sorted[j].Timestamp })
		cut := len(sorted) / 2
		for cut < len(sorted) && sorted[cut].Timestamp == sorted[cut-1].Timestamp {
			cut++
		}
		if err := d.Add(sorted[:cut]); err != nil {
			t.Fatal(err)
		}
		if err := d.Add(sorted[cut:]); err != nil {
			t.Fatal(err)
		}
		if got := d.Sum(); got.Digest != d1 || got.Count != int64(len(recs)) {
			t.Fatalf("chunked digest %+v, want %s", got, d1)
		}
		var back snapshot.Digester
		back.Add(sorted[cut:])
		if err := back.Add(sorted[:cut]); podium.ErrorCode(err) != podium.EINTERNAL {
			t.Fatalf("chunks out of order: %v", err)
		}
	})
	t.Run("ErrChanged", func(t *testing.T) {
		c := append([]podium.Stats{}, recs...)
		c[7].RoundTripTime += 1e-9
		if d2, _ := snapshot.Digest(c); d2 == d1 {
			t.Fatal("a changed record left the digest unchanged")
		}
	})
}

func TestBuild(t *testing.T) {
	p, _, err := program.Load("../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Round(1)
	aggs, in := round1.Window(round1.Records(), r.Snapshot.At, r.Snapshot.Window)
	t.Run("ErrCountMismatch", func(t *testing.T) {
		_, err := snapshot.Build(p, 1, r.Snapshot.At, r.Snapshot.Window, aggs, in[1:], nil)
		if podium.ErrorCode(err) != podium.EINTERNAL {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrRound", func(t *testing.T) {
		_, err := snapshot.Build(p, 2, r.Snapshot.At, r.Snapshot.Window, aggs, in, nil)
		if podium.ErrorCode(err) != podium.ENOTFOUND {
			t.Fatalf("err %v", err)
		}
	})
}
