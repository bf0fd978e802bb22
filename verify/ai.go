package verify

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/score"
	"github.com/podiumhq/podium/snapshot"
)

// checkAI checks the AI part of a snapshot against round r's rules: present
// exactly when the round has AI pools, and every score printed the one its
// sums give against its frozen median.
func checkAI(res *Result, r *podium.Round, s *podium.Snapshot) {
	res.Add("snapshot.ai", presence(r.HasAI()), presence(s.AI != nil))
	if s.AI == nil {
		return
	}
	for _, e := range s.AI.Aggregates {
		m, ok := s.AI.Median(e.Pipeline, e.Model, e.Region)
		want := score.OfAIAggregate(e.AIAggregate, m, ok)
		res.Add(aiField(e.AIAggregate)+".score", fmt.Sprint(want), fmt.Sprint(e.Score))
	}
}

func presence(b bool) string {
	if b {
		return "an AI part (the round has AI pools)"
	}
	return "no AI part"
}

func aiField(a podium.AIAggregate) string {
	return fmt.Sprintf("snapshot.ai.aggregates[%s/%s/%s/%s]", a.Pipeline, a.Model, a.Orchestrator, a.Region)
}

// AIRecords checks the AI part of round id's snapshot against the raw
// records: those of recs in the window that the round's AI pools look at
// are digested again, summed per pipeline, model, orchestrator and region,
// and their exact medians taken (snapshot.FreezeAI); every aggregate and
// median of the snapshot must be exactly that. recs may hold transcoding
// records, records outside the window and in any order.
func AIRecords(res *Result, p *podium.Program, id int, snapshotFile []byte, recs []podium.Stats) error {
	s, err := podium.ParseSnapshot(snapshotFile)
	if err != nil {
		return err
	}
	r, err := p.Round(id)
	if err != nil {
		return err
	}
	var in []podium.Stats
	for _, rec := range recs {
		if rec.Timestamp >= s.Since && rec.Timestamp < s.Until {
			in = append(in, rec)
		}
	}
	want, err := snapshot.FreezeAI(r, in)
	if err != nil {
		return err
	}
	got := s.AI
	if want == nil || got == nil {
		res.Add("snapshot.ai", presence(want != nil), presence(got != nil))
		return nil
	}
	res.Add("snapshot.ai.records.count", fmt.Sprint(want.Records.Count), fmt.Sprint(got.Records.Count))
	res.Add("snapshot.ai.records.digest", want.Records.Digest, got.Records.Digest)

	key := func(a podium.AIAggregate) string { return aiField(a) }
	wantAggs := map[string]podium.AIAggregate{}
	for _, e := range want.Aggregates {
		wantAggs[key(e.AIAggregate)] = e.AIAggregate
	}
	seen := map[string]bool{}
	for _, e := range got.Aggregates {
		k := key(e.AIAggregate)
		seen[k] = true
		w, ok := wantAggs[k]
		if !ok {
			res.Add(k, "(no records)", fmt.Sprintf("%d tests", e.Tests))
			continue
		}
		res.Add(k+".tests", fmt.Sprint(w.Tests), fmt.Sprint(e.Tests))
		res.Add(k+".sum_success_rate_e9", fmt.Sprint(w.SumSuccessRate), fmt.Sprint(e.SumSuccessRate))
		res.Add(k+".sum_round_trip_ns", fmt.Sprint(w.SumRoundTrip), fmt.Sprint(e.SumRoundTrip))
	}
	for _, e := range want.Aggregates {
		if k := key(e.AIAggregate); !seen[k] {
			res.Add(k, fmt.Sprintf("%d tests", e.Tests), "")
		}
	}
	medians := func(ms []podium.AIMedianEntry) map[string]string {
		out := map[string]string{}
		for _, m := range ms {
			out[fmt.Sprintf("snapshot.ai.medians[%s/%s/%s]", m.Pipeline, m.Model, m.Region)] = strconv.FormatFloat(m.Median, 'g', -1, 64)
		}
		return out
	}
	wm, gm := medians(want.Medians), medians(got.Medians)
	keys := make([]string, 0, len(wm)+len(gm))
	for k := range wm {
		keys = append(keys, k)
	}
	for k := range gm {
		if _, ok := wm[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		w, ok := wm[k]
		if !ok {
			w = "(no successful test)"
		}
		res.Add(k, w, gm[k])
	}
	return nil
}
