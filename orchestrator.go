package podium

import "context"

// Orchestrator is one entry of the registry: who an orchestrator is and where
// to reach and pay it.
type Orchestrator struct {
	// Address is the on-chain address, lowercase 0x-hex; it identifies the
	// orchestrator everywhere in podium.
	Address string `json:"address"`
	// ServiceURI is where its Livepeer protocol endpoint listens.
	ServiceURI string `json:"service_uri,omitempty"`
	// Name is a human name (ENS or operator-chosen); empty falls back to Address.
	Name string `json:"name,omitempty"`
	// PayoutAddress receives rewards; empty means Address.
	PayoutAddress string `json:"payout_address,omitempty"`
	// Active reports whether the orchestrator is in the active set (chain
	// registries only; file registries treat every entry as active).
	Active bool `json:"active"`
}

// DisplayName returns Name, or Address when no name is known.
func (o Orchestrator) DisplayName() string {
	if o.Name != "" {
		return o.Name
	}
	return o.Address
}

// Payee returns the address rewards are sent to.
func (o Orchestrator) Payee() string {
	if o.PayoutAddress != "" {
		return o.PayoutAddress
	}
	return o.Address
}

// Registry lists orchestrators. Implementations: a CSV file
// (address,service_uri,name,payout_address), the chain, or the addresses seen
// in the stats.
type Registry interface {
	Orchestrators(ctx context.Context) ([]Orchestrator, error)
}
