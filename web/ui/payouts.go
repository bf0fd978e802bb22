package ui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
	"github.com/podiumhq/podium/round"
)

// PlanPayouts reports payout status from the files the payout keeps: the
// plans `podium payout plan` writes into Dir and the journals `podium payout
// execute` appends next to them. It needs no chain access: a payment is sent
// once its transaction is signed and journaled, confirmed once the journal
// holds a successful receipt, failed when it reverted (until signed again).
// `podium payout reconcile` remains the check against the token's logs.
type PlanPayouts struct {
	Dir     string // where the plans (any file name) and their journals are
	Program string // the program whose plans count
}

var _ round.Payouts = (*PlanPayouts)(nil)

// Payments returns the payments of round id's plan with their status, sorted by
// recipient; none when no plan for the round is in Dir. Of several plans for
// a round, the one whose journal has gone furthest counts.
func (pp *PlanPayouts) Payments(ctx context.Context, id int) ([]round.Payment, error) {
	plan, recs, err := pp.plan(id)
	if err != nil || plan == nil {
		return nil, err
	}
	steps := journalStates(recs)
	out := make([]round.Payment, len(plan.Payments))
	for i, p := range plan.Payments {
		out[i] = round.Payment{Recipient: p.Recipient, Amount: p.Amount, Status: round.PaymentPlanned}
		if p.To != p.Recipient {
			out[i].PayTo = p.To
		}
	}
	for i, st := range plan.Steps {
		s, ok := steps[i]
		if !ok {
			continue
		}
		for _, pi := range st.Payments {
			if pi >= 0 && pi < len(out) {
				out[pi].Status, out[pi].TxHash = s.status, s.hash
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Recipient < out[j].Recipient })
	return out, nil
}

// plan finds round id's plan in Dir and reads its journal.
func (pp *PlanPayouts) plan(id int) (*payout.Plan, []payout.Record, error) {
	paths, err := filepath.Glob(filepath.Join(pp.Dir, "*"))
	if err != nil {
		return nil, nil, err
	}
	var best *payout.Plan
	var bestRecs []payout.Record
	for _, path := range paths {
		if strings.HasSuffix(path, ".journal") || !looksLikePlan(path) {
			continue // a journal, a distribution, a snapshot, ...
		}
		p, err := payout.LoadPlan(path, "")
		if err != nil {
			return nil, nil, err
		}
		if p.Program != pp.Program || p.Round != id {
			continue
		}
		recs, err := payout.ReadJournal(payout.JournalPath(path))
		if err != nil {
			return nil, nil, err
		}
		if len(recs) > 0 && (recs[0].Kind != payout.RecordPlan || recs[0].Plan != p.Hash) {
			return nil, nil, podium.Errorf(podium.ECONFLICT, "journal of %s belongs to plan %s, not %s", path, recs[0].Plan, p.Hash)
		}
		if best == nil || len(recs) > len(bestRecs) {
			best, bestRecs = p, recs
		}
	}
	return best, bestRecs, nil
}

// looksLikePlan reports whether path is a file holding a JSON object with a plan's
// fields, so other JSON files next to the plans are passed over.
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

// stepStatus is where one step of a plan stands after its journal.
type stepStatus struct {
	status string
	hash   string
}

// journalStates replays a journal in order: a signed transaction makes its
// step sent, a receipt makes it confirmed or failed, and a step signed again
// after a failure is sent again.
func journalStates(recs []payout.Record) map[int]stepStatus {
	out := map[int]stepStatus{}
	for _, r := range recs {
		switch r.Kind {
		case payout.RecordSigned:
			if out[r.Step].status != round.PaymentConfirmed {
				out[r.Step] = stepStatus{round.PaymentSent, r.Hash}
			}
		case payout.RecordMined:
			s := stepStatus{round.PaymentFailed, r.Hash}
			if r.Status == 1 {
				s.status = round.PaymentConfirmed
			}
			out[r.Step] = s
		}
	}
	return out
}
