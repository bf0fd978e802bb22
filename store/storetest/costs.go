package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
)

// Paid returns r with a cost: tickets tickets of face value face wei and
// expected value ev wei ("n" or "n/d", canonical).
func Paid(r podium.Stats, id string, tickets int, face, ev string) podium.Stats {
	r.TestID = id
	r.Cost = &podium.StatsCost{Tickets: tickets, FaceValue: face, ExpectedValue: ev}
	return r
}

// testCosts checks that a record's cost is stored and returned exactly, and
// totalled per region and UTC day; records without one (unpaid, or from
// other senders) count for nothing.
func testCosts(t *testing.T, open Opener) {
	ctx := context.Background()
	st := open(t)
	day := Base - Base%podium.Day // Monday 00:00 UTC
	// A face value beyond int64 and expected values whose sum is a fraction
	// with a 2^256 denominator: nothing may be lost.
	const face = "1000000000000000000000000" // 1e24 wei
	const ev1 = "57896044618658097711785492504343953926634992332820282019728792003956564819967/115792089237316195423570985008687907853269984665640564039457584007913129639936"
	recs := []podium.Stats{
		Paid(Record(1, "FRA", Base), "c-1", 3, face, ev1),
		Paid(Record(2, "FRA", Base+60), "c-2", 1, face, "1/3"),
		Paid(Record(1, "MDW", Base), "c-3", 0, "0", "0"),
		Paid(Record(1, "FRA", day+podium.Day), "c-4", 2, "5", "7"), // the next day
		Record(3, "FRA", Base+120),                                 // unpaid
		Paid(Record(1, "SIN", day-1), "c-5", 1, "9", "2"),          // the day before
	}
	add(t, st, len(recs), recs...)
	add(t, st, 0, recs[0], recs[1]) // posted again: counted once

	t.Run("RawStats", func(t *testing.T) {
		got := raw(t, st, podium.StatsQuery{Orchestrator: Orchestrator(2), Until: Base + 1000})
		if len(got) != 1 || !reflect.DeepEqual(got[0].Cost, recs[1].Cost) {
			t.Fatalf("got %+v, want the cost %+v", got, recs[1].Cost)
		}
		got = raw(t, st, podium.StatsQuery{Orchestrator: Orchestrator(3), Until: Base + 1000})
		if len(got) != 1 || got[0].Cost != nil {
			t.Fatalf("unpaid record came back with a cost: %+v", got)
		}
	})

	// sum is what the totals must say, as JSON, exact.
	sum := func(tests, tickets int, face, wei, exact string) string {
		return fmt.Sprintf(`{"tests":%d,"tickets":%d,"face_value_wei":%q,"expected_value_wei":%q,"expected_value_exact":%q}`,
			tests, tickets, face, wei, exact)
	}
	// ev1 + 1/3, exactly
	const fra = "289480223093290488558927462521719769633174961664101410098643960019782824099837/347376267711948586270712955026063723559809953996921692118372752023739388919808"
	type row struct {
		region string
		day    int64
		sum    string
	}
	for _, tc := range []struct {
		name string
		q    podium.CostQuery
		want []row
	}{
		{"Window", podium.CostQuery{StatsQuery: podium.StatsQuery{Since: day, Until: day + podium.Day}}, []row{
			{"FRA", 0, sum(2, 4, "4000000000000000000000000", "1", fra)},
			{"MDW", 0, sum(1, 0, "0", "0", "0")},
		}},
		{"Daily", podium.CostQuery{StatsQuery: podium.StatsQuery{Since: 0, Until: Base + 3*podium.Day}, Daily: true}, []row{
			{"SIN", day - podium.Day, sum(1, 1, "9", "2", "2")},
			{"FRA", day, sum(2, 4, "4000000000000000000000000", "1", fra)},
			{"MDW", day, sum(1, 0, "0", "0", "0")},
			{"FRA", day + podium.Day, sum(1, 2, "10", "7", "7")},
		}},
		{"Region", podium.CostQuery{StatsQuery: podium.StatsQuery{Region: "SIN", Since: 0, Until: Base + 3*podium.Day}}, []row{
			{"SIN", 0, sum(1, 1, "9", "2", "2")},
		}},
		{"Orchestrator", podium.CostQuery{StatsQuery: podium.StatsQuery{Orchestrator: Orchestrator(2), Since: 0, Until: Base + 3*podium.Day}}, []row{
			{"FRA", 0, sum(1, 1, face, "0", "1/3")},
		}},
		{"NoPaidTests", podium.CostQuery{StatsQuery: podium.StatsQuery{Orchestrator: Orchestrator(3), Since: 0, Until: Base + 3*podium.Day}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			totals, err := st.Costs(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []row
			for _, c := range totals {
				b, err := json.Marshal(c.CostSum)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, row{c.Region, c.Day, string(b)})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Costs(%+v):\n got  %v\n want %v", tc.q, got, tc.want)
			}
		})
	}

	// A paid AI test costs what a transcoding one does: counted with them,
	// filtered alike.
	t.Run("AI", func(t *testing.T) {
		next := day + 2*podium.Day
		ai := Paid(AIRecord(1, "FRA", next, "upscale", "stabilityai/sd-x2", 1.5), "c-ai", 2, "6", "1/2")
		add(t, st, 2, ai, Paid(Record(1, "FRA", next+60), "c-6", 1, "4", "1/2"))
		for _, q := range []podium.StatsQuery{
			{Since: next, Until: next + podium.Day},
			{Since: next, Until: next + podium.Day, Region: "FRA", Orchestrator: Orchestrator(1)},
		} {
			totals, err := st.Costs(ctx, podium.CostQuery{StatsQuery: q})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(totals)
			if len(totals) != 1 || totals[0].Tests != 2 || totals[0].Tickets != 3 || totals[0].ExpectedValue.RatString() != "1" {
				t.Fatalf("Costs(%+v) = %s, want the AI test and the transcoding one: 2 tests, 3 tickets, 1 wei", q, b)
			}
		}
		totals, err := st.Costs(ctx, podium.CostQuery{StatsQuery: podium.StatsQuery{Since: next, Until: next + podium.Day, Region: "MDW"}})
		if err != nil || len(totals) != 0 {
			t.Fatalf("Costs of MDW = %+v, %v; want none", totals, err)
		}
	})
}

// CostMigration checks that migration 0004 (the cost columns) keeps the
// records of a database made before it. unmigrate takes st's schema back to
// before 0004 (its records already stored); migrate applies the pending
// migrations again.
func CostMigration(t *testing.T, st podium.StatsStore, unmigrate, migrate func() error) {
	t.Helper()
	ctx := context.Background()
	old := []podium.Stats{Record(1, "FRA", Base), Record(2, "MDW", Base+1)}
	old[1].TestID = "before-costs"
	add(t, st, 2, old...)
	q := podium.StatsQuery{Until: Base + 1000}
	if err := unmigrate(); err != nil {
		t.Fatalf("take the schema back before 0004: %v", err)
	}
	if err := migrate(); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	got := raw(t, st, q)
	want := []podium.Stats{old[1], old[0]}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after migration:\n got  %+v\n want %+v", got, want)
	}
	checkAggregates(t, st, old, q)
	paid := Paid(Record(1, "FRA", Base+2), "after-costs", 1, "10", "1/10")
	add(t, st, 1, paid)
	totals, err := st.Costs(ctx, podium.CostQuery{StatsQuery: q})
	if err != nil || len(totals) != 1 || totals[0].Tests != 1 || totals[0].ExpectedValue.RatString() != "1/10" {
		t.Fatalf("costs after migration: %+v, %v", totals, err)
	}
}
