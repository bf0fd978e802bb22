package node

import (
	"fmt"
	"strings"
	"time"
)

// AI fault kinds. Each runs the real pipeline and then alters its answer,
// except the cheats (unscaled, unrelated, blank), which stand for an
// orchestrator that skips the work.
const (
	AIFaultSlow      = "slow"       // answers after an extra delay
	AIFaultError     = "error"      // every request fails (500)
	AIFaultWrongSize = "wrong-size" // images at 3/4 of the asked size (an upscale ×3)
	AIFaultUnscaled  = "unscaled"   // an upscale returns its input as is
	AIFaultUnrelated = "unrelated"  // another picture, at the right size
	AIFaultBlank     = "blank"      // a flat gray picture, at the right size
	// AIFaultCold makes every model cold: advertised warm=false, and its
	// first request loads it (takes the delay longer); it is warm after.
	AIFaultCold     = "cold"
	aiFaultKindList = "slow=DURATION, error, wrong-size, unscaled, unrelated, blank, cold=DURATION"
)

// AIFault is the AI worker's misbehaviour, for tests and demos.
type AIFault struct {
	Kind  string
	Delay time.Duration // slow, cold
}

// ParseAIFault parses an --ai-fault value; "" and "none" are no fault.
func ParseAIFault(s string) (AIFault, error) {
	kind, arg, hasArg := strings.Cut(strings.TrimSpace(s), "=")
	switch kind {
	case "", "none":
		return AIFault{}, nil
	case AIFaultSlow, AIFaultCold:
		d, err := time.ParseDuration(arg)
		if !hasArg || err != nil || d <= 0 {
			return AIFault{}, fmt.Errorf("AI fault %q: want %s=DURATION, for example %s=2s", s, kind, kind)
		}
		return AIFault{Kind: kind, Delay: d}, nil
	case AIFaultError, AIFaultWrongSize, AIFaultUnscaled, AIFaultUnrelated, AIFaultBlank:
		if hasArg {
			return AIFault{}, fmt.Errorf("AI fault %q: %s takes no value", s, kind)
		}
		return AIFault{Kind: kind}, nil
	}
	return AIFault{}, fmt.Errorf("unknown AI fault %q; known: %s", s, aiFaultKindList)
}

// String returns f as ParseAIFault reads it.
func (f AIFault) String() string {
	switch f.Kind {
	case "":
		return "none"
	case AIFaultSlow, AIFaultCold:
		return f.Kind + "=" + f.Delay.String()
	}
	return f.Kind
}
