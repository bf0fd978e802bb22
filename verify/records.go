package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/snapshot"
)

// ExpectSnapshot checks that the snapshot verified is the one whose id was
// published when it was taken. A snapshot file is only consistent with
// itself: without the published id, a forged one in canonical form with
// inflated but consistent aggregates would pass.
func ExpectSnapshot(res *Result, id string) {
	res.Add("snapshot id (expected as published)", id, res.SnapshotID)
}

// Records checks a snapshot against the raw records it claims to cover:
// those of recs in its window [since, until) are digested again (count and
// digest) and summed per orchestrator and region, and every aggregate of
// the snapshot must be exactly that sum. recs may hold records outside the
// window and in any order; AI records are not in these sums (AIRecords
// checks them).
func Records(res *Result, snapshotFile []byte, recs []podium.Stats) error {
	s, err := podium.ParseSnapshot(snapshotFile)
	if err != nil {
		return err
	}
	var in []podium.Stats
	sums := map[string]podium.Aggregate{}
	for _, r := range recs {
		if r.Timestamp < s.Since || r.Timestamp >= s.Until || r.IsAI() {
			continue
		}
		in = append(in, r)
		k := r.Orchestrator + "/" + r.Region
		sums[k] = sums[k].Add(r.Aggregate())
	}
	digest, err := snapshot.Digest(in)
	if err != nil {
		return err
	}
	res.Add("snapshot.records.count", fmt.Sprint(len(in)), fmt.Sprint(s.Records.Count))
	res.Add("snapshot.records.digest", digest, s.Records.Digest)

	published := map[string]bool{}
	for _, e := range s.Aggregates {
		k := e.Orchestrator + "/" + e.Region
		published[k] = true
		want, ok := sums[k]
		field := "snapshot.aggregates[" + k + "]"
		if !ok {
			res.Add(field, "(no records)", fmt.Sprintf("%d tests", e.Tests))
			continue
		}
		for _, f := range aggregateFields(want, e.Aggregate) {
			res.Add(field+"."+f.name, fmt.Sprint(f.want), fmt.Sprint(f.got))
		}
	}
	keys := make([]string, 0, len(sums))
	for k := range sums {
		if !published[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		res.Add("snapshot.aggregates["+k+"]", fmt.Sprintf("%d tests", sums[k].Tests), "")
	}
	return nil
}

type aggregateField struct {
	name      string
	want, got int64
}

// aggregateFields pairs every summed field of want and got.
func aggregateFields(want, got podium.Aggregate) []aggregateField {
	return []aggregateField{
		{"tests", want.Tests, got.Tests},
		{"sum_seg_duration_us", want.SumSegDuration, got.SumSegDuration},
		{"sum_round_trip_us", want.SumRoundTrip, got.SumRoundTrip},
		{"sum_success_rate_e9", want.SumSuccessRate, got.SumSuccessRate},
		{"sum_upload_us", want.SumUpload, got.SumUpload},
		{"sum_transcode_us", want.SumTranscode, got.SumTranscode},
		{"sum_download_us", want.SumDownload, got.SumDownload},
		{"segments_sent", want.SegmentsSent, got.SegmentsSent},
		{"segments_received", want.SegmentsReceived, got.SegmentsReceived},
		{"verified_renditions", want.VerifiedRenditions, got.VerifiedRenditions},
		{"verification_failures", want.VerificationFailures, got.VerificationFailures},
	}
}

// ParseRecords reads a records file: what GET /api/raw_stats answers
// ({"REGION": [record, …]}), a JSON array of records, or one record per
// line (JSON lines, as `podium import` reads).
func ParseRecords(b []byte) ([]podium.Stats, error) {
	t := bytes.TrimSpace(b)
	switch {
	case len(t) == 0:
		return nil, podium.FieldError("records", "the file is empty")
	case t[0] == '[':
		var out []podium.Stats
		if err := json.Unmarshal(t, &out); err != nil {
			return nil, podium.FieldError("records", "not a JSON array of records: %v", err)
		}
		return out, nil
	}
	var byRegion map[string][]podium.Stats
	if err := json.Unmarshal(t, &byRegion); err == nil {
		var out []podium.Stats
		for _, rs := range byRegion {
			out = append(out, rs...)
		}
		return out, nil
	}
	var out []podium.Stats
	for i, line := range strings.Split(string(t), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var r podium.Stats
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, podium.FieldError("records", "line %d: %v", i+1, err).
				WithHint("pass what /api/raw_stats answers, a JSON array of records or JSON lines")
		}
		out = append(out, r)
	}
	return out, nil
}
