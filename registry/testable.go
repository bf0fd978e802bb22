package registry

import (
	"context"

	"github.com/podiumhq/podium"
)

// Testable narrows another registry to the orchestrators a prober can test:
// active ones with a service URI. A chain registry lists the whole pool,
// including orchestrators that left the active set or never set a URI.
type Testable struct {
	podium.Registry
}

// Orchestrators lists the testable orchestrators of the wrapped registry.
func (t Testable) Orchestrators(ctx context.Context) ([]podium.Orchestrator, error) {
	all, err := t.Registry.Orchestrators(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0:0]
	for _, o := range all {
		if o.Active && o.ServiceURI != "" {
			out = append(out, o)
		}
	}
	return out, nil
}
