package probe

import (
	"fmt"
	"sort"
	"strings"
)

// crossCheck looks across a cycle's tests for a node key vouching for an
// address it cannot: the one link that rests on an unsigned claim is a
// delegated key (-ethOrchAddr), named by a ticket recipient that anything
// between the prober and a node could rewrite. A delegated key that is
// itself another registry entry's address, or that answered for two
// registry addresses in one cycle, proves nothing; those tests earn
// nothing. A key that is the registered address is proven by its
// signatures and is never in doubt. It returns the tests it changed.
func crossCheck(results []Result) []int {
	registered := map[string]bool{}
	for _, r := range results {
		registered[strings.ToLower(r.Target.Address)] = true
	}
	vouched := map[string]map[string]bool{} // delegated key → registry addresses
	for _, r := range results {
		if r.Identity.Delegated {
			if vouched[r.Identity.Signer] == nil {
				vouched[r.Identity.Signer] = map[string]bool{}
			}
			vouched[r.Identity.Signer][r.Identity.Registered] = true
		}
	}
	var changed []int
	for i := range results {
		r := &results[i]
		id := r.Identity
		if !id.Delegated || r.Outcomes == nil {
			continue
		}
		var err error
		switch {
		case registered[id.Signer]:
			err = fmt.Errorf("results signed by %s, a registered orchestrator's own key, with ticket recipient %s; a key registered for itself cannot act for another address", id.Signer, id.Registered)
		case len(vouched[id.Signer]) > 1:
			err = fmt.Errorf("node key %s answered for %s in one cycle; a node key works for one registered address", id.Signer, strings.Join(sortedKeys(vouched[id.Signer]), " and "))
		default:
			continue
		}
		err = Errorc(CodeIdentityMismatch, err)
		disown(r.Outcomes, err)
		r.Stats = Compute(r.info, r.Outcomes)
		r.Log += fmt.Sprintf("identity conflict: the test earns nothing: %v\n", err)
		changed = append(changed, i)
	}
	return changed
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
