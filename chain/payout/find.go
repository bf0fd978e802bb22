package payout

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/podiumhq/podium"
)

// FindPlan finds the plan of program's round in dir, where `podium payout
// plan --out` writes plans (under any file name) and execute keeps their
// journals, and returns it with its journal's records. Other files there
// (journals, distributions, snapshots) are passed over. Of several plans
// for the round, the one whose journal has gone furthest counts. An
// ENOTFOUND error when dir holds no plan for the round; an ECONFLICT one
// when a journal belongs to another plan than the one beside it.
func FindPlan(dir, program string, round int) (*Plan, []Record, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return nil, nil, err
	}
	var best *Plan
	var bestRecs []Record
	for _, path := range paths {
		if strings.HasSuffix(path, ".journal") || !looksLikePlan(path) {
			continue
		}
		p, err := LoadPlan(path, "")
		if err != nil {
			return nil, nil, err
		}
		if p.Program != program || p.Round != round {
			continue
		}
		recs, err := ReadJournal(JournalPath(path))
		if err != nil {
			return nil, nil, err
		}
		if len(recs) > 0 && (recs[0].Kind != RecordPlan || recs[0].Plan != p.Hash) {
			return nil, nil, podium.Errorf(podium.ECONFLICT, "journal of %s belongs to plan %s, not %s", path, recs[0].Plan, p.Hash).
				WithHint("move the journal back beside its own plan; never edit or swap journals")
		}
		if best == nil || len(recs) > len(bestRecs) {
			best, bestRecs = p, recs
		}
	}
	if best == nil {
		return nil, nil, podium.Errorf(podium.ENOTFOUND, "no payout plan of %s round %d in %s", program, round, dir)
	}
	return best, bestRecs, nil
}

// looksLikePlan reports whether path is a file holding a JSON object with a
// plan's fields, so other JSON files next to the plans are passed over.
func looksLikePlan(path string) bool {
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var probe struct {
		Hash     string            `json:"hash"`
		Payments []json.RawMessage `json:"payments"`
		Steps    []json.RawMessage `json:"steps"`
	}
	return json.Unmarshal(b, &probe) == nil && probe.Hash != "" && probe.Steps != nil && probe.Payments != nil
}
