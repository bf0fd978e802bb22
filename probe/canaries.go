package probe

import (
	"context"
	"fmt"
	"strings"
)

// Canaries are all of the prober's own checks of itself, the only signals
// that decide it is at fault: its canary orchestrator (a reference node its
// operator runs), which must pass, and its known-good endpoints, of which
// more than half must fail — one of several going down is that endpoint's
// trouble, not the prober's.
type Canaries struct {
	Orchestrator Canary // nil for none
	Endpoints    []Canary
}

// Check runs every check and fails when the rule above says the prober is
// at fault, naming each failed check.
func (c Canaries) Check(ctx context.Context) error {
	var why []string
	if c.Orchestrator != nil {
		if err := c.Orchestrator.Check(ctx); err != nil {
			why = append(why, "canary orchestrator: "+err.Error())
		}
	}
	var failed []string
	for _, e := range c.Endpoints {
		if err := e.Check(ctx); err != nil {
			failed = append(failed, err.Error())
		}
	}
	if 2*len(failed) > len(c.Endpoints) {
		why = append(why, fmt.Sprintf("%d of %d known-good endpoints failed: %s", len(failed), len(c.Endpoints), strings.Join(failed, "; ")))
	}
	if len(why) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(why, "; "))
}
