package podium

import (
	"math/big"
	"time"
)

// Program is an incentive program: its token, its regions, who is excluded
// and its rounds. It is what a program file (docs/design.md §5.3) says, parsed and
// checked; amounts are exact base units.
type Program struct {
	Name    string
	Token   Token
	Admin   string        // the account that holds the grant and pays
	Notice  time.Duration // how long before a round a rule change must be published
	Regions []Region
	Exclude []Exclusion
	Rounds  []Round
	// Testing is how the program's probers test.
	Testing Testing
}

// Testing is how the program's probers test orchestrators.
type Testing struct {
	// MaxPrice caps the price per pixel, in wei, that probers pay; an
	// orchestrator asking more is recorded as price over cap. nil: no cap
	// but the probers' own (--max-price).
	MaxPrice *big.Rat
}

// Token is the ERC-20 token rewards are paid in.
type Token struct {
	Symbol   string
	Decimals int
	ChainID  int64
	Address  string
}

// Info returns the part of the token a distribution names.
func (t Token) Info() TokenInfo { return TokenInfo{Symbol: t.Symbol, Decimals: t.Decimals} }

// Exclusion removes an address from every reward, with the reason given.
type Exclusion struct {
	Address string // lowercase 0x-hex
	Reason  string
}

// Round is one period of the program with its own rules.
type Round struct {
	ID       int
	Start    time.Time
	End      time.Time
	Snapshot SnapshotSpec
	Budget   *big.Int // base units; the pools never pay more in total
	// RequireVerified makes only orchestrators with at least one verified
	// rendition and no verification failure in the window eligible.
	RequireVerified bool
	Pools           []Pool
	// Regions are the regions this round looks at: the ones the round
	// lists, or else all the program's. Exclude is the program's exclusions
	// plus the round's own. Both are resolved when the file is read, so a
	// later round can add a region or an exclusion without changing the
	// rules of a round that has started.
	Regions []Region
	Exclude []Exclusion
}

// SnapshotSpec says when a round's snapshot is taken and what it covers:
// test timestamps in [At − Window, At).
type SnapshotSpec struct {
	At     time.Time
	Window time.Duration
}

// Since returns the start of the snapshot window.
func (s SnapshotSpec) Since() time.Time { return s.At.Add(-s.Window) }

// Split kinds of a pool with a fixed Amount.
const (
	SplitEqual        = "equal"        // floor(amount / n) each
	SplitProportional = "proportional" // floor(amount × score_i / Σ score)
)

// Pool is one pot of a round's rewards. Either Amount is split among the
// eligible (Split), or each eligible receives PerRecipient; a per-recipient
// pool is bounded by Eligible.Top per region, or by Amount as a cap.
type Pool struct {
	Name         string
	Amount       *big.Int // split pools: the pot; per-recipient pools: an optional cap
	Split        string   // SplitEqual or SplitProportional; "" for per-recipient pools
	PerRecipient *big.Int // nil for split pools
	Eligible     Eligibility
}

// Eligibility says who may receive from a pool.
type Eligibility struct {
	// MinScore is the minimum total score on the 0–10 scale people see.
	MinScore float64
	// Regions is where MinScore must be met.
	Regions RegionScope
	// Top, when > 0, pays only the best Top of each region (Per == "region"),
	// ranked by score desc, latency desc, address asc.
	Top int
	Per string
	// RequireVerified is the round's RequireVerified unless the pool says
	// (an AI pool does not inherit it: AI tests have no renditions).
	RequireVerified bool
	// JobType is "" for transcoding (every pool before AI) or JobAI, whose
	// scores are the AI scores per pipeline, model and region. Pipeline
	// and Model, when set, narrow an AI pool to them (Model needs
	// Pipeline); empty means any.
	JobType  string
	Pipeline string
	Model    string
}

// Ranking units of a top-N pool (Eligibility.Per).
const (
	PerRegion   = "region"
	PerPipeline = "pipeline" // AI pools only
)

// IsAI reports whether the eligibility looks at AI scores.
func (e Eligibility) IsAI() bool { return e.JobType == JobAI }

// Region scope modes.
const (
	ScopeAny  = "any"  // the score is met in at least one region
	ScopeAll  = "all"  // the score is met in every region
	ScopeList = "list" // the score is met in at least one of IDs
)

// RegionScope selects the regions an eligibility rule looks at.
type RegionScope struct {
	Mode string
	IDs  []string // ScopeList only
}

// Round returns the round with the given id.
func (p *Program) Round(id int) (*Round, error) {
	for i := range p.Rounds {
		if p.Rounds[i].ID == id {
			return &p.Rounds[i], nil
		}
	}
	return nil, Errorf(ENOTFOUND, "program %s has no round %d", p.Name, id).
		WithHint("see the rounds with `podium program validate --program FILE`")
}

// Excluded returns the program-wide exclusion of address, if any.
func (p *Program) Excluded(address string) (Exclusion, bool) { return excluded(p.Exclude, address) }

// Excluded returns the exclusion of address in this round, if any.
func (r *Round) Excluded(address string) (Exclusion, bool) { return excluded(r.Exclude, address) }

func excluded(list []Exclusion, address string) (Exclusion, bool) {
	for _, e := range list {
		if e.Address == address {
			return e, true
		}
	}
	return Exclusion{}, false
}

// RegionIDs returns the program's region IDs in program order.
func (p *Program) RegionIDs() []string { return regionIDs(p.Regions) }

// RegionIDs returns the round's region IDs in program order.
func (r *Round) RegionIDs() []string { return regionIDs(r.Regions) }

func regionIDs(regions []Region) []string {
	ids := make([]string, len(regions))
	for i, r := range regions {
		ids[i] = r.ID
	}
	return ids
}

// ScopeRegions returns the region IDs a scope looks at in this round, in
// program order.
func (r *Round) ScopeRegions(s RegionScope) []string {
	if s.Mode != ScopeList {
		return r.RegionIDs()
	}
	var ids []string
	for _, id := range r.RegionIDs() {
		for _, want := range s.IDs {
			if id == want {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// Max returns the most pool can ever pay in round r, or nil when it is
// unbounded (a per-recipient pool with neither Top nor a cap).
func (pool Pool) Max(r *Round) *big.Int {
	if pool.PerRecipient == nil {
		return new(big.Int).Set(pool.Amount)
	}
	if pool.Eligible.Top == 0 || (pool.Eligible.Per == PerPipeline && pool.Eligible.Pipeline == "") {
		if pool.Amount == nil {
			return nil
		}
		return new(big.Int).Set(pool.Amount)
	}
	slots := int64(pool.Eligible.Top) * int64(len(r.ScopeRegions(pool.Eligible.Regions)))
	if pool.Eligible.Per == PerPipeline {
		slots = int64(pool.Eligible.Top) // one named pipeline
	}
	m := new(big.Int).Mul(pool.PerRecipient, big.NewInt(slots))
	if pool.Amount != nil && pool.Amount.Cmp(m) < 0 {
		m.Set(pool.Amount)
	}
	return m
}
