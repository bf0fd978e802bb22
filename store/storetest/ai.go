package storetest

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"sort"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
	"github.com/podiumhq/podium/store/rollup"
)

// AIStatsStore is a store of both kinds of tests.
type AIStatsStore interface {
	podium.StatsStore
	podium.AIStore
}

// AIScanner answers the AI queries from the raw records, the baselines.
type AIScanner interface {
	ScanAIAggregates(ctx context.Context, q podium.StatsQuery) ([]podium.AIAggregate, error)
	ScanAIMedian(ctx context.Context, q podium.StatsQuery) (float64, bool, error)
}

// Percentiler is PostgreSQL's own percentile_cont(0.5) over the records.
type Percentiler interface {
	PercentileAIMedian(ctx context.Context, q podium.StatsQuery) (float64, bool, error)
}

// AIOpener opens a fresh, empty store of both kinds.
type AIOpener func(t *testing.T) AIStatsStore

// Pipelines and models of the suite's AI records.
var (
	AIPipelines = []string{"image-to-video", "text-to-image", "upscale"}
	AIModels    = []string{"ByteDance/SDXL-Lightning", "SG161222/RealVisXL_V4.0", "stabilityai/stable-diffusion-x4-upscaler"}
)

// AIRecord returns a successful AI test of orchestrator i in region at ts.
func AIRecord(i int, region string, ts int64, pipeline, model string, rtt float64) podium.Stats {
	return podium.Stats{
		Region: region, Orchestrator: Orchestrator(i), Timestamp: ts, SuccessRate: 1,
		RoundTripTime: rtt, Pipeline: pipeline, Model: model, ModelIsWarm: true,
		InputParameters: `{"prompt":"a bear"}`, ResponsePayload: `{"images":[{"url":"x"}]}`,
		Errors: []podium.StatsError{},
	}
}

// RandomAIRecord returns an AI record with round trips drawn from few
// values (so that bins and even the values repeat), failures and zeros.
func RandomAIRecord(rng *rand.Rand, orchestrators int, since, span int64) podium.Stats {
	p := rng.Intn(len(AIPipelines))
	s := AIRecord(rng.Intn(orchestrators), Regions[rng.Intn(len(Regions))], since+rng.Int63n(span),
		AIPipelines[p], AIModels[(p+rng.Intn(2))%len(AIModels)], 0)
	switch rng.Intn(4) {
	case 0:
		s.RoundTripTime = float64(1+rng.Intn(5)) * 0.5 // repeats exactly
	case 1:
		s.RoundTripTime = 2 + rng.Float64()*1e-4 // many values in few bins
	default:
		s.RoundTripTime = rng.Float64() * 8
	}
	switch rng.Intn(6) {
	case 0:
		s.SuccessRate = 0
		s.Errors = []podium.StatsError{{ErrorCode: "HTTP-STATUS-503", Count: 1}}
	case 1:
		s.SuccessRate = rng.Float64()
	case 2:
		s.RoundTripTime = 0
	}
	s.ModelIsWarm = rng.Intn(3) > 0
	s.TestID = fmt.Sprintf("ai-%016x", rng.Uint64())
	return s
}

func aiMatches(s podium.Stats, q podium.StatsQuery) bool {
	return matches(s, q) && (q.Pipeline == "" || s.Pipeline == q.Pipeline) && (q.Model == "" || s.Model == q.Model)
}

// ExpectAI computes AIAggregates(q) from the records themselves.
func ExpectAI(recs []podium.Stats, q podium.StatsQuery) []podium.AIAggregate {
	sums := make(map[[4]string]podium.AIAggregate)
	for _, s := range Distinct(recs) {
		if !s.IsAI() || !aiMatches(s, q) {
			continue
		}
		k := [4]string{s.Pipeline, s.Model, s.Orchestrator, s.Region}
		a, ok := sums[k]
		if !ok {
			a = podium.AIAggregate{Pipeline: s.Pipeline, Model: s.Model, Orchestrator: s.Orchestrator, Region: s.Region}
		}
		sums[k] = a.Add(podium.AIAggregateOf(s))
	}
	out := make([]podium.AIAggregate, 0, len(sums))
	for _, a := range sums {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return less4([4]string{a.Pipeline, a.Model, a.Orchestrator, a.Region}, [4]string{b.Pipeline, b.Model, b.Orchestrator, b.Region})
	})
	return out
}

func less4(a, b [4]string) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// ExpectAIMedian computes AIMedian(q) from the records themselves.
func ExpectAIMedian(recs []podium.Stats, q podium.StatsQuery) (float64, bool) {
	q.Orchestrator = ""
	var vals []float64
	for _, s := range Distinct(recs) {
		if s.IsAI() && aiMatches(s, q) && s.SuccessRate == 1 && s.RoundTripTime != 0 {
			vals = append(vals, s.RoundTripTime)
		}
	}
	return rollup.MedianFloat(vals)
}

// RunAI runs the shared AI suite against stores made by open.
func RunAI(t *testing.T, open AIOpener) {
	ctx := context.Background()
	t.Run("Apart", func(t *testing.T) {
		st := open(t)
		tr := Record(1, "FRA", Base)
		ai := AIRecord(1, "FRA", Base, "text-to-image", "ByteDance/SDXL-Lightning", 2.5)
		if n, err := st.AddStats(ctx, []podium.Stats{tr, ai}); err != nil || n != 2 {
			t.Fatalf("added %d, %v", n, err)
		}
		// Posting both again stores nothing: AI records are deduplicated
		// by key as transcoding ones are.
		if n, err := st.AddStats(ctx, []podium.Stats{ai, tr, ai}); err != nil || n != 0 {
			t.Fatalf("added %d again, %v", n, err)
		}
		q := podium.StatsQuery{Since: Base - 10, Until: Base + 10}
		aggs, err := st.Aggregates(ctx, q)
		if err != nil || len(aggs) != 1 || aggs[0].Tests != 1 {
			t.Fatalf("transcoding aggregates count the AI test: %+v %v", aggs, err)
		}
		raw, err := st.RawStats(ctx, q)
		if err != nil || len(raw) != 1 || raw[0].IsAI() {
			t.Fatalf("transcoding raw stats hold the AI test: %+v %v", raw, err)
		}
		ais, err := st.AIAggregates(ctx, q)
		if err != nil || len(ais) != 1 || ais[0].Tests != 1 || ais[0].Pipeline != "text-to-image" {
			t.Fatalf("AI aggregates: %+v %v", ais, err)
		}
		// A test ID stored as an AI test is a duplicate when posted again.
		withID := ai
		withID.TestID, withID.RoundTripTime = "ai-1", 3
		add(t, st, 1, withID)
		withID.RoundTripTime = 4
		add(t, st, 0, withID)
	})
	t.Run("RawStats", func(t *testing.T) {
		st := open(t)
		a := AIRecord(2, "MDW", Base+5, "upscale", "stabilityai/stable-diffusion-x4-upscaler", 1.25)
		a.ModelIsWarm = false
		a.Errors = []podium.StatsError{{ErrorCode: "HTTP-STATUS-500", Message: "boom", Count: 1}}
		a.Cost = &podium.StatsCost{Tickets: 1, FaceValue: "1000", ExpectedValue: "10"}
		b := AIRecord(1, "FRA", Base+5, "text-to-image", "ByteDance/SDXL-Lightning", 2)
		c := AIRecord(1, "FRA", Base+9, "text-to-image", "ByteDance/SDXL-Lightning", 3)
		add(t, st, 3, a, b, c)
		got, err := st.AIRawStats(ctx, podium.StatsQuery{Since: Base, Until: Base + 10})
		if err != nil {
			t.Fatal(err)
		}
		want := []podium.Stats{c, b, a} // newest first, then region
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("AIRawStats\n got %+v\nwant %+v", got, want)
		}
		got, err = st.AIRawStats(ctx, podium.StatsQuery{Since: Base, Until: Base + 10, Pipeline: "text-to-image", Model: "ByteDance/SDXL-Lightning", Limit: 1})
		if err != nil || !reflect.DeepEqual(got, []podium.Stats{c}) {
			t.Fatalf("filtered, limited: %+v %v", got, err)
		}
	})
	t.Run("Median", func(t *testing.T) {
		st := open(t)
		q := podium.StatsQuery{Since: Base, Until: Base + 100, JobType: podium.JobAI, Pipeline: "text-to-image", Model: "m"}
		check := func(want float64, wantOK bool) {
			t.Helper()
			m, ok, err := st.AIMedian(ctx, q)
			if err != nil || ok != wantOK || m != want {
				t.Fatalf("median %v %v %v, want %v %v", m, ok, err, want, wantOK)
			}
		}
		check(0, false) // no test at all
		fail := AIRecord(1, "FRA", Base+1, "text-to-image", "m", 9)
		fail.SuccessRate = 0.5
		zero := AIRecord(1, "FRA", Base+1, "text-to-image", "m", 0)
		add(t, st, 2, fail, zero)
		check(0, false) // no successful test: podium's defined answer
		add(t, st, 1, AIRecord(1, "FRA", Base+2, "text-to-image", "m", 3))
		check(3, true) // one record
		add(t, st, 1, AIRecord(2, "MDW", Base+3, "text-to-image", "m", 1))
		check(2, true)                   // even count: the mean of the middle two, across orchestrators and regions
		q.Orchestrator = Orchestrator(1) // ignored
		check(2, true)
		q.Region = "MDW"
		check(1, true)
		q.Region, q.Model = "", "other"
		check(0, false)
	})
	t.Run("Random", func(t *testing.T) {
		st := open(t)
		rng := rand.New(rand.NewSource(22))
		// Three days around Base: windows cross hour and day boundaries.
		since, span := Base-36*3600, int64(72*3600)
		var recs []podium.Stats
		for len(recs) < 3000 {
			batch := make([]podium.Stats, 1+rng.Intn(200))
			for i := range batch {
				batch[i] = RandomAIRecord(rng, 6, since, span)
			}
			if rng.Intn(3) == 0 { // mixed with transcoding tests
				batch = append(batch, RandomRecord(rng, 6, since, span))
			}
			if _, err := st.AddStats(ctx, batch); err != nil {
				t.Fatal(err)
			}
			recs = append(recs, batch...)
		}
		scan, _ := st.(AIScanner)
		pct, _ := st.(Percentiler)
		for i := 0; i < 120; i++ {
			a, b := since-600+rng.Int63n(span+1200), since-600+rng.Int63n(span+1200)
			if i%10 == 0 {
				a, b = since-3600, since+span+3600 // everything
			}
			q := podium.StatsQuery{Since: min(a, b), Until: max(a, b), JobType: podium.JobAI}
			if rng.Intn(2) == 0 {
				p := rng.Intn(len(AIPipelines))
				q.Pipeline, q.Model = AIPipelines[p], AIModels[(p+rng.Intn(2))%len(AIModels)]
			}
			if rng.Intn(3) == 0 {
				q.Region = Regions[rng.Intn(len(Regions))]
			}
			if rng.Intn(4) == 0 {
				q.Orchestrator = Orchestrator(rng.Intn(6))
			}
			want := ExpectAI(recs, q)
			got, err := st.AIAggregates(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				want = nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("AIAggregates(%+v)\n got %v\nwant %v", q, got, want)
			}
			if scan != nil {
				if s, err := scan.ScanAIAggregates(ctx, q); err != nil || !reflect.DeepEqual(s, want) {
					t.Fatalf("ScanAIAggregates(%+v) = %v, %v", q, s, err)
				}
			}
			wm, wok := ExpectAIMedian(recs, q)
			m, ok, err := st.AIMedian(ctx, q)
			if err != nil || m != wm || ok != wok {
				t.Fatalf("AIMedian(%+v) = %v %v %v, want %v %v", q, m, ok, err, wm, wok)
			}
			if scan != nil {
				if m, ok, err := scan.ScanAIMedian(ctx, q); err != nil || m != wm || ok != wok {
					t.Fatalf("ScanAIMedian(%+v) = %v %v %v", q, m, ok, err)
				}
			}
			if pct != nil {
				if m, ok, err := pct.PercentileAIMedian(ctx, q); err != nil || m != wm || ok != wok {
					t.Fatalf("percentile_cont(%+v) = %v %v %v, the store's median %v", q, m, ok, err, wm)
				}
			}
		}
		// Transcoding answers count no AI record.
		q := podium.StatsQuery{Since: since, Until: since + span}
		got, err := st.Aggregates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var tr []podium.Stats
		for _, s := range recs {
			if !s.IsAI() {
				tr = append(tr, s)
			}
		}
		if want := Expect(tr, q); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("transcoding aggregates\n got %v\nwant %v", got, want)
		}
	})
	t.Run("Pipelines", func(t *testing.T) {
		st := open(t)
		got, err := st.Pipelines(ctx, podium.StatsQuery{Since: Base, Until: Base + 7200})
		if err != nil || got == nil || len(got) != 0 {
			t.Fatalf("empty store: %#v %v", got, err)
		}
		add(t, st, 5,
			AIRecord(1, "MDW", Base+10, "upscale", "x4", 1),
			AIRecord(2, "FRA", Base+3700, "text-to-image", "SG161222/RealVisXL_V4.0", 1),
			AIRecord(1, "LAX", Base+7300, "text-to-image", "ByteDance/SDXL-Lightning", 1), // outside
			AIRecord(1, "MDW", Base+20, "text-to-image", "ByteDance/SDXL-Lightning", 1),
			Record(1, "SIN", Base+30))
		add(t, st, 1, AIRecord(3, "FRA", Base+40, "text-to-image", "SG161222/RealVisXL_V4.0", 0))
		got, err = st.Pipelines(ctx, podium.StatsQuery{Since: Base, Until: Base + 7200})
		want := []podium.Pipeline{
			{ID: "text-to-image", Models: []string{"ByteDance/SDXL-Lightning", "SG161222/RealVisXL_V4.0"}, Regions: []string{"FRA", "MDW"}},
			{ID: "upscale", Models: []string{"x4"}, Regions: []string{"MDW"}},
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Pipelines\n got %+v\nwant %+v (%v)", got, want, err)
		}
		got, err = st.Pipelines(ctx, podium.StatsQuery{Since: Base - 86400, Until: Base + 86400, Region: "FRA", Pipeline: "upscale"})
		want = []podium.Pipeline{{ID: "text-to-image", Models: []string{"SG161222/RealVisXL_V4.0"}, Regions: []string{"FRA"}}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Pipelines in FRA\n got %+v\nwant %+v (%v)", got, want, err)
		}
	})
	t.Run("TopAIScore", func(t *testing.T) {
		st := open(t)
		if _, ok, err := st.TopAIScore(ctx, Orchestrator(1), Base, Base+86400); err != nil || ok {
			t.Fatalf("no tests: ok %v, %v", ok, err)
		}
		slowFail := AIRecord(1, "FRA", Base+1, "upscale", "x4", 9)
		slowFail.SuccessRate = 0
		add(t, st, 6,
			AIRecord(1, "MDW", Base+1, "text-to-image", "m", 2),
			AIRecord(1, "FRA", Base+2, "text-to-image", "m", 1), // best: success 1, fastest
			slowFail,
			AIRecord(2, "FRA", Base+3, "text-to-image", "m", 4),
			AIRecord(2, "SIN", Base+4, "text-to-image", "m", 5),
			Record(1, "SIN", Base+5))
		got, ok, err := st.TopAIScore(ctx, Orchestrator(1), Base, Base+86400)
		if err != nil || !ok {
			t.Fatalf("TopAIScore: ok %v, %v", ok, err)
		}
		// Scored against the median of text-to-image/m in every region: 2, 1, 4, 5 → 3.
		want := podium.AIScore{Region: "FRA", Orchestrator: Orchestrator(1), Pipeline: "text-to-image", Model: "m",
			Value: score.OfAIAggregate(podium.AIAggregateOf(AIRecord(1, "FRA", Base+2, "text-to-image", "m", 1)), 3, true).Total}
		if got != want {
			t.Fatalf("TopAIScore\n got %+v\nwant %+v", got, want)
		}
		if math.Abs(want.Value-(0.65+0.35*math.Exp(math.Log(0.8)/3))) > 1e-12 {
			t.Fatalf("value %v is not the anchor's formula", want.Value)
		}
		if _, ok, err := st.TopAIScore(ctx, Orchestrator(9), Base, Base+86400); err != nil || ok {
			t.Fatalf("another orchestrator: ok %v, %v", ok, err)
		}
	})
}

// AIMigration checks that a database made before the AI tables (downgrade
// takes st back there) upgrades in place (migrate): its transcoding records
// are kept, and AI records are then stored apart.
func AIMigration(t *testing.T, st AIStatsStore, downgrade, migrate func() error) {
	t.Helper()
	ctx := context.Background()
	tr := []podium.Stats{Record(1, "FRA", Base), Record(2, "MDW", Base+1)}
	add(t, st, 2, tr...)
	if err := downgrade(); err != nil {
		t.Fatalf("downgrade: %v", err)
	}
	if err := migrate(); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	q := podium.StatsQuery{Since: Base, Until: Base + 10}
	if got, err := st.Aggregates(ctx, q); err != nil || !reflect.DeepEqual(got, Expect(tr, q)) {
		t.Fatalf("transcoding after the migration: %v %v", got, err)
	}
	ai := AIRecord(1, "FRA", Base+2, "upscale", "x4", 1.5)
	add(t, st, 1, ai)
	if got, err := st.AIAggregates(ctx, q); err != nil || !reflect.DeepEqual(got, ExpectAI([]podium.Stats{ai}, q)) {
		t.Fatalf("AI after the migration: %v %v", got, err)
	}
}
