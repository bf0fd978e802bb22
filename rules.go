package podium

// RoundRules is the canonical form of the rules that decide one round's
// distribution: everything a recomputation needs and nothing else (the
// admin account and the notice period do not change who is paid what).
// Its canonical JSON's SHA-256 is the rules id a distribution names.
type RoundRules struct {
	Program string      `json:"program"`
	Token   TokenRules  `json:"token"`
	Regions []Region    `json:"regions"`
	Exclude []ExcludeID `json:"exclude"`
	Round   RoundDoc    `json:"round"`
}

// TokenRules is the token as the rules name it.
type TokenRules struct {
	Symbol   string `json:"symbol"`
	Decimals int    `json:"decimals"`
	ChainID  int64  `json:"chain_id,omitempty"`
	Address  string `json:"address,omitempty"`
}

// ExcludeID is an exclusion as the rules name it.
type ExcludeID struct {
	Address string `json:"address"`
	Reason  string `json:"reason"`
}

// RoundDoc is a round as the rules name it; amounts in base units. Its
// JSON is the summary's fields, then whether verification is required and
// the pools.
type RoundDoc struct {
	RoundSummary
	RequireVerified bool      `json:"require_verified"`
	Pools           []PoolDoc `json:"pools"`
}

// PoolDoc is a pool as the rules name it; amounts in base units.
type PoolDoc struct {
	Name            string   `json:"name"`
	Amount          string   `json:"amount,omitempty"`
	Split           string   `json:"split,omitempty"`
	PerRecipient    string   `json:"per_recipient,omitempty"`
	MinScore        float64  `json:"min_score"`
	Regions         string   `json:"regions"`
	RegionIDs       []string `json:"region_ids,omitempty"`
	Top             int      `json:"top,omitempty"`
	Per             string   `json:"per,omitempty"`
	RequireVerified bool     `json:"require_verified"`
	// The AI keys, absent for a transcoding pool so that its rules id is
	// what it was before AI pools existed.
	JobType  string `json:"job_type,omitempty"`
	Pipeline string `json:"pipeline,omitempty"`
	Model    string `json:"model,omitempty"`
}

// Rules returns the canonical rules of round id.
func (p *Program) Rules(id int) (RoundRules, error) {
	r, err := p.Round(id)
	if err != nil {
		return RoundRules{}, err
	}
	doc := RoundRules{
		Program: p.Name,
		Token:   TokenRules{Symbol: p.Token.Symbol, Decimals: p.Token.Decimals, ChainID: p.Token.ChainID, Address: p.Token.Address},
		Regions: append([]Region{}, r.Regions...),
		Exclude: []ExcludeID{},
		Round:   RoundDoc{RoundSummary: r.Summary(), RequireVerified: r.RequireVerified},
	}
	for _, e := range r.Exclude {
		doc.Exclude = append(doc.Exclude, ExcludeID(e))
	}
	for _, pool := range r.Pools {
		pd := PoolDoc{
			Name: pool.Name, Split: pool.Split, MinScore: pool.Eligible.MinScore,
			Regions: pool.Eligible.Regions.Mode, RegionIDs: pool.Eligible.Regions.IDs,
			Top: pool.Eligible.Top, Per: pool.Eligible.Per, RequireVerified: pool.Eligible.RequireVerified,
			JobType: pool.Eligible.JobType, Pipeline: pool.Eligible.Pipeline, Model: pool.Eligible.Model,
		}
		if pool.Amount != nil {
			pd.Amount = pool.Amount.String()
		}
		if pool.PerRecipient != nil {
			pd.PerRecipient = pool.PerRecipient.String()
		}
		doc.Round.Pools = append(doc.Round.Pools, pd)
	}
	return doc, nil
}

// RulesID returns the id of round id's rules: the SHA-256 of their
// canonical JSON.
func (p *Program) RulesID(id int) (string, error) {
	doc, err := p.Rules(id)
	if err != nil {
		return "", err
	}
	b, err := CanonicalJSON(doc)
	if err != nil {
		return "", err
	}
	return ContentID(b), nil
}
