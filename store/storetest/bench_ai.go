package storetest

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/benchset"
)

// The AI benchmark data set: 100 orchestrators × 2 regions × 5 pipelines
// and models × one test every 5 minutes for 7 days = 2,016,000 records,
// over the same days as the transcoding data set (benchset).
const (
	BenchAIRegions = 2
	BenchAIJobs    = 5
	BenchAISize    = BenchOrchestrators * BenchAIRegions * BenchAIJobs * BenchTicks
)

// benchAIJobs are the data set's pipelines, models and typical round trips.
var benchAIJobs = []struct {
	pipeline, model string
	rtt             float64
}{
	{"text-to-image", "ByteDance/SDXL-Lightning", 2},
	{"text-to-image", "SG161222/RealVisXL_V4.0_Lightning", 3},
	{"image-to-video", "stabilityai/stable-video-diffusion-img2vid-xt-1-1", 30},
	{"upscale", "stabilityai/stable-diffusion-x4-upscaler", 5},
	{"llm", "meta-llama/Meta-Llama-3.1-8B-Instruct", 1},
}

// BenchAIJob returns the pipeline and model of job j of the data set.
func BenchAIJob(j int) (pipeline, model string) { return benchAIJobs[j].pipeline, benchAIJobs[j].model }

// BenchAIRecord returns AI record i of the data set: tick-major, with a
// round trip spread around its job's typical one, 10% failures (half of
// them without a round trip) and a test ID.
func BenchAIRecord(i int) podium.Stats {
	per := BenchOrchestrators * BenchAIRegions * BenchAIJobs
	series, tick := i%per, i/per
	job := benchAIJobs[series%BenchAIJobs]
	rest := series / BenchAIJobs
	h := uint64(i)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	next := func(n uint64) uint64 {
		h ^= h >> 31
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 29
		return h % n
	}
	unit := func() float64 { return float64(next(1<<20)) / (1 << 20) }
	s := podium.Stats{
		Region: []string{"MDW", "FRA"}[rest%BenchAIRegions], Orchestrator: benchset.Orchestrator(rest / BenchAIRegions),
		Timestamp: BenchStart + int64(tick)*BenchInterval + int64(next(60)),
		Pipeline:  job.pipeline, Model: job.model, ModelIsWarm: next(10) > 0,
		SuccessRate: 1, RoundTripTime: job.rtt * math.Exp(unit()-0.5),
		Errors:          []podium.StatsError{},
		InputParameters: `{"prompt":"a bear","width":512,"height":512}`,
		TestID:          fmt.Sprintf("ai%08d", i),
	}
	switch next(20) {
	case 0:
		s.SuccessRate, s.RoundTripTime = 0, 0
		s.Errors = []podium.StatsError{{ErrorCode: "HTTP-STATUS-503", Count: 1}}
	case 1:
		s.SuccessRate = 0
		s.Errors = []podium.StatsError{{ErrorCode: "HTTP-STATUS-500", Count: 1}}
	}
	return s
}

// LoadBenchAI stores the AI data set in st by AddStats, batch records a
// call.
func LoadBenchAI(ctx context.Context, st podium.StatsStore, batch int) error {
	recs := make([]podium.Stats, 0, batch)
	for i := 0; i < BenchAISize; i++ {
		recs = append(recs, BenchAIRecord(i))
		if len(recs) == batch || i == BenchAISize-1 {
			if _, err := st.AddStats(ctx, recs); err != nil {
				return err
			}
			recs = recs[:0]
		}
	}
	return nil
}

// BenchAIBoard measures, in one run and on one store holding both data
// sets, the p50 latency of the 7-day transcoding board (Aggregates) and of
// the 7-day AI board of one pipeline and model (AIAggregates and AIMedian,
// what aggregated_stats?pipeline&model reads), and of every AI test
// (job_type=ai), checks the AI answers against the raw scans once, and
// reports the ratios.
func BenchAIBoard(b *testing.B, st AIStatsStore, runs int) {
	ctx := context.Background()
	qs := BenchWindows(runs)
	pipeline, model := BenchAIJob(0)
	aiQ := func(q podium.StatsQuery, one bool) podium.StatsQuery {
		q.JobType = podium.JobAI
		if one {
			q.Pipeline, q.Model = pipeline, model
		}
		return q
	}
	if sc, ok := st.(AIScanner); ok {
		for _, one := range []bool{true, false} {
			q := aiQ(qs[0], one)
			got, err := st.AIAggregates(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			want, err := sc.ScanAIAggregates(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) || len(got) == 0 {
				b.Fatalf("AI rollup answer (%d aggregates) differs from the raw scan (%d)", len(got), len(want))
			}
			m, ok, err := st.AIMedian(ctx, q)
			wm, wok, werr := sc.ScanAIMedian(ctx, q)
			if err != nil || werr != nil || m != wm || ok != wok {
				b.Fatalf("AI median %v %v %v, the scan's %v %v %v", m, ok, err, wm, wok, werr)
			}
		}
	}
	board := func(q podium.StatsQuery) error {
		if _, err := st.AIAggregates(ctx, q); err != nil {
			return err
		}
		_, _, err := st.AIMedian(ctx, q)
		return err
	}
	b.ResetTimer()
	tr, trCPU := measure(b, runs, func(i int) error { _, err := st.Aggregates(ctx, qs[i]); return err })
	one, oneCPU := measure(b, runs, func(i int) error { return board(aiQ(qs[i], true)) })
	all, allCPU := measure(b, runs, func(i int) error { return board(aiQ(qs[i], false)) })
	med, _ := measure(b, runs, func(i int) error { _, _, err := st.AIMedian(ctx, aiQ(qs[i], true)); return err })
	b.StopTimer()
	b.ReportMetric(ms(tr), "transcoding-p50-ms")
	b.ReportMetric(ms(one), "ai-board-p50-ms")
	b.ReportMetric(ms(med), "ai-median-p50-ms")
	b.ReportMetric(ms(all), "ai-all-p50-ms")
	b.ReportMetric(float64(one)/float64(tr), "ai/transcoding-x")
	b.ReportMetric(float64(all)/float64(tr), "ai-all/transcoding-x")
	b.ReportMetric(ms(trCPU), "transcoding-cpu-p50-ms")
	b.ReportMetric(ms(oneCPU), "ai-board-cpu-p50-ms")
	b.ReportMetric(ms(allCPU), "ai-all-cpu-p50-ms")
	b.ReportMetric(0, "ns/op")
}
