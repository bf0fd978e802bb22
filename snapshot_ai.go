package podium

// SnapshotAI freezes the AI tests a round's AI pools look at: those of the
// round's regions on the pipelines and models its AI pools name
// (Round.NeedsAI). Aggregates are per pipeline, model, orchestrator and
// region, sorted by those; Medians are the median round trips the scores
// are taken against, one per pipeline, model and region with a successful
// test, sorted the same way; Records digests the AI records covered, as
// Snapshot.Records does the transcoding ones.
type SnapshotAI struct {
	Aggregates []SnapshotAIEntry `json:"aggregates"`
	Medians    []AIMedianEntry   `json:"medians"`
	Records    RecordsDigest     `json:"records"`
}

// SnapshotAIEntry is one orchestrator's AI tests of one pipeline and model
// in one region: the fixed-point sums and, for people, the score they give
// against the median of their pipeline, model and region.
type SnapshotAIEntry struct {
	AIAggregate
	Score Score `json:"score"`
}

// AIMedianEntry is the median round trip, in seconds, of the successful AI
// tests (success rate 1, round trip not 0) of one pipeline and model in one
// region, across all orchestrators: what aggregated_stats with that
// pipeline, model and region scores against.
type AIMedianEntry struct {
	Pipeline string  `json:"pipeline"`
	Model    string  `json:"model"`
	Region   string  `json:"region"`
	Median   float64 `json:"median_round_trip"`
}

// Median returns the frozen median of pipeline, model and region; ok is
// false when no test there succeeded.
func (s *SnapshotAI) Median(pipeline, model, region string) (float64, bool) {
	for _, m := range s.Medians {
		if m.Pipeline == pipeline && m.Model == model && m.Region == region {
			return m.Median, true
		}
	}
	return 0, false
}

// HasAI reports whether any of the round's pools is an AI pool.
func (r *Round) HasAI() bool {
	for _, p := range r.Pools {
		if p.Eligible.IsAI() {
			return true
		}
	}
	return false
}

// NeedsAI reports whether an AI test of pipeline and model in region is
// one the round's AI pools look at: region is one of the round's and some
// AI pool names that pipeline (or none) and that model (or none).
func (r *Round) NeedsAI(pipeline, model, region string) bool {
	if !NewRegionSet(r.Regions).Has(region) {
		return false
	}
	for _, p := range r.Pools {
		e := p.Eligible
		if e.IsAI() && (e.Pipeline == "" || e.Pipeline == pipeline) && (e.Model == "" || e.Model == model) {
			return true
		}
	}
	return false
}

// ValidPipeline and ValidModel report whether a name may be an AI test's
// pipeline or model (the checks a posted record passes).
func ValidPipeline(name string) bool {
	return len(name) <= MaxPipelineLen && pipelineRE.MatchString(name)
}

func ValidModel(name string) bool { return len(name) <= MaxModelLen && modelRE.MatchString(name) }
