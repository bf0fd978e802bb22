package rules_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/snapshot"
)

// BenchmarkCompute computes a round of the scale of docs/design.md §10.3: 100
// orchestrators in 10 regions, an equal split, a proportional split and a
// top 5 per region.
func BenchmarkCompute(b *testing.B) {
	var regions, ids string
	for i := 0; i < 10; i++ {
		regions += fmt.Sprintf("  - {id: R%02d, name: Region %d}\n", i, i)
		ids += fmt.Sprintf("R%02d,", i)
	}
	p := parseProgramB(b, `program: bench
token: {symbol: TOK, decimals: 18}
regions:
`+regions+`rounds:
  - id: 1
    start: 2021-01-01T00:00:00Z
    end: 2021-01-08T00:00:00Z
    snapshot: {at: 2021-01-08T00:00:00Z, window: 168h}
    budget: "20000"
    require_verified: true
    pools:
      - {name: equal, amount: "4000", split: equal, eligible: {min_score: 3}}
      - {name: prop, amount: "6000", split: proportional, eligible: {min_score: 1, regions: all}}
      - {name: top, per_recipient: "200", eligible: {min_score: 3, top: 5, per: region}}
`)
	rng := rand.New(rand.NewPCG(3, 4))
	at := time.Date(2021, 1, 8, 0, 0, 0, 0, time.UTC)
	var aggs []podium.Aggregate
	for o := 0; o < 100; o++ {
		for r := 0; r < 10; r++ {
			rec := podium.Stats{Orchestrator: fmt.Sprintf("0x%040x", o+1), Region: fmt.Sprintf("R%02d", r),
				SuccessRate: rng.Float64(), SegDuration: 2, RoundTripTime: 0.5 + 3*rng.Float64(), VerifiedRenditions: 3}
			a := rec.Aggregate()
			a.Tests = 2016
			aggs = append(aggs, a)
		}
	}
	var total int64
	for _, a := range aggs {
		total += a.Tests
	}
	if _, err := snapshot.Build(p, 1, at, 168*time.Hour, aggs, nil, nil); err == nil {
		b.Fatal("want the count check to refuse aggregates without records")
	}
	s := &podium.Snapshot{Program: p.Name, Round: 1, At: at, Since: at.Add(-168 * time.Hour).Unix(), Until: at.Unix(),
		Records: podium.RecordsDigest{Count: total}}
	for _, a := range aggs {
		s.Aggregates = append(s.Aggregates, podium.SnapshotEntry{Aggregate: a})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := rules.Compute(p, 1, s); err != nil {
			b.Fatal(err)
		}
	}
}
