package storetest

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/podiumhq/podium"
)

// CapacityOpener opens a fresh, empty capacity store for one test.
type CapacityOpener func(t *testing.T) podium.CapacityStore

// CapacityRecord returns a capacity record of orchestrator i in region at
// ts: 3 streams of 2 renditions, capped at 4, with every field set.
func CapacityRecord(i int, region string, ts int64) podium.Capacity {
	ok := func(n int) podium.CapacityLevel {
		return podium.CapacityLevel{Streams: n, Segments: 5 * n, Verified: 5 * n, Late: 1, LateShare: 0.2 / float64(n), RoundTripP50: 1.25, RoundTripP95: 1.875}
	}
	return podium.Capacity{
		TestID: fmt.Sprintf("capacity-%s-%s-%d", region, Orchestrator(i), ts), Region: region, Orchestrator: Orchestrator(i),
		Timestamp: ts, Duration: 73.5, Streams: 3, Renditions: 6, Profiles: 2, Advertised: 8, Ceiling: 8,
		StoppedBy: podium.CapacityStoppedCapped,
		Levels: []podium.CapacityLevel{ok(1), ok(2), {Streams: 4, Segments: 20, Verified: 14, Late: 2, Capped: 5, Failed: 1, LateShare: 0.1,
			RoundTripP50: 1.5, RoundTripP95: 2.25, Errors: map[string]int{"OrchestratorCapped": 5, "Transcode": 1}, Verdict: podium.CapacityStoppedCapped}, ok(3)},
	}
}

// RunCapacity runs the shared suite of podium.CapacityStore.
func RunCapacity(t *testing.T, open CapacityOpener) {
	ctx := context.Background()
	t.Run("RoundTrip", func(t *testing.T) {
		st := open(t)
		want := CapacityRecord(1, "FRA", Base)
		if n, err := st.AddCapacity(ctx, []podium.Capacity{want}); err != nil || n != 1 {
			t.Fatalf("added %d, %v", n, err)
		}
		got, err := st.Capacities(ctx, podium.CapacityQuery{Since: Base, Until: Base + 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
			t.Fatalf("read back %+v\nwant %+v", got, want)
		}
	})
	t.Run("DedupByTestID", func(t *testing.T) {
		st := open(t)
		a, b := CapacityRecord(1, "FRA", Base), CapacityRecord(2, "FRA", Base)
		if n, err := st.AddCapacity(ctx, []podium.Capacity{a, a}); err != nil || n != 1 {
			t.Fatalf("a batch with one record twice added %d, %v; want 1", n, err)
		}
		// A replay with other figures under the same test ID changes nothing.
		forged := a
		forged.Streams, forged.Renditions = 8, 16
		if n, err := st.AddCapacity(ctx, []podium.Capacity{forged, b}); err != nil || n != 1 {
			t.Fatalf("added %d, %v; want only b", n, err)
		}
		got, err := st.Capacities(ctx, podium.CapacityQuery{Orchestrator: a.Orchestrator, Since: 0, Until: Base + 1})
		if err != nil || len(got) != 1 || got[0].Streams != 3 {
			t.Fatalf("read %+v, %v; want the first record as stored", got, err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		st := open(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var recs []podium.Capacity
				for i := range 10 {
					recs = append(recs, CapacityRecord(i, Regions[(i+g)%2], Base+int64(i)))
				}
				n, err := st.AddCapacity(ctx, recs)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}()
		}
		wg.Wait()
		// Each (i, region) pair is one test ID; 10 orchestrators in 2 regions.
		if total != 20 {
			t.Fatalf("8 posters of overlapping records added %d, want 20", total)
		}
	})
	t.Run("Query", func(t *testing.T) {
		st := open(t)
		var recs []podium.Capacity
		for i := range 3 {
			for _, r := range Regions {
				for d := range 4 {
					recs = append(recs, CapacityRecord(i, r, Base+int64(d)*86400))
				}
			}
		}
		if n, err := st.AddCapacity(ctx, recs); err != nil || n != len(recs) {
			t.Fatalf("added %d of %d, %v", n, len(recs), err)
		}
		for _, tc := range []struct {
			name string
			q    podium.CapacityQuery
			want []string // region/orchestrator index/day, newest first
		}{
			{"Orchestrator", podium.CapacityQuery{Orchestrator: Orchestrator(1), Since: Base, Until: Base + 2*86400},
				[]string{"FRA/1/1", "MDW/1/1", "SIN/1/1", "FRA/1/0", "MDW/1/0", "SIN/1/0"}},
			{"OrchestratorRegion", podium.CapacityQuery{Orchestrator: Orchestrator(2), Region: "MDW", Since: 0, Until: Base + 10*86400},
				[]string{"MDW/2/3", "MDW/2/2", "MDW/2/1", "MDW/2/0"}},
			{"UntilExclusive", podium.CapacityQuery{Region: "SIN", Since: Base + 86400, Until: Base + 2*86400},
				[]string{"SIN/0/1", "SIN/1/1", "SIN/2/1"}},
			{"Limit", podium.CapacityQuery{Orchestrator: Orchestrator(0), Since: 0, Until: Base + 10*86400, Limit: 2},
				[]string{"FRA/0/3", "MDW/0/3"}},
			{"None", podium.CapacityQuery{Orchestrator: Orchestrator(9), Since: 0, Until: Base + 10*86400}, []string{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := st.Capacities(ctx, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				names := []string{}
				for _, c := range got {
					for i := range 10 {
						if Orchestrator(i) == c.Orchestrator {
							names = append(names, fmt.Sprintf("%s/%d/%d", c.Region, i, (c.Timestamp-Base)/86400))
						}
					}
				}
				if !reflect.DeepEqual(names, tc.want) {
					t.Fatalf("got %v, want %v", names, tc.want)
				}
			})
		}
	})
}
