// Package payout pays a round's distribution in tokens exactly once: it plans
// the transactions (content-hashed, reviewed before anything is signed),
// executes them with a journal that survives crashes, reconciles against the
// token's Transfer logs, and exports the plan for other signers.
package payout

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/durable"
)

// PlanVersion is the version of the plan file format.
const PlanVersion = 1

// Methods of payment.
const (
	MethodTransfer = "transfer" // one ERC-20 transfer per recipient
	MethodBatch    = "batch"    // BatchPay.disperseToken, many recipients per transaction
)

// Step kinds.
const (
	KindApprove  = "approve"
	KindTransfer = "transfer"
	KindBatch    = "batch"
)

// Plan is everything a payout will do, fixed before anything is signed. Its
// Hash covers every other field, so a plan cannot change after review.
type Plan struct {
	Version int `json:"version"`
	// Distribution is "sha256:<hex>" of the distribution file's bytes.
	Distribution string `json:"distribution"`
	Program      string `json:"program"`
	Round        int    `json:"round"`
	// Tag names the distribution on chain: 32 bytes (see PayoutTag) that
	// end the calldata of every transaction that pays, so that any later
	// plan can find on the chain itself that this distribution was paid.
	Tag string `json:"tag,omitempty"`

	ChainID  uint64 `json:"chain_id"`
	Token    string `json:"token"`
	Symbol   string `json:"symbol"`
	Decimals int    `json:"decimals"`
	Sender   string `json:"sender"`
	Method   string `json:"method"`
	// Batch is the BatchPay contract (method batch only).
	Batch string `json:"batch,omitempty"`
	// FromBlock is the first block after the chain head when the plan was
	// made: no payment of this plan can be older, so reconciliation scans
	// from here.
	FromBlock uint64 `json:"from_block"`

	Total    string    `json:"total"`
	Budget   string    `json:"budget,omitempty"`
	Payments []Payment `json:"payments"`
	Steps    []Step    `json:"steps"`

	Hash string `json:"hash"`

	// amounts and total are Payments' amounts and Total as integers,
	// parsed once: by MakePlan, LoadPlan or Validate.
	amounts []*big.Int
	total   *big.Int
}

// Payment is one planned token transfer.
type Payment struct {
	Index int `json:"index"`
	// Recipient is the distribution's address (the orchestrator).
	Recipient string `json:"recipient"`
	// To is the address paid: the recipient's pay_to, or the recipient.
	To     string `json:"to"`
	Amount string `json:"amount"`
}

// Step is one transaction of the plan. Its calldata is fixed; only the nonce
// and fees are chosen when it is signed.
type Step struct {
	Index int    `json:"index"`
	Kind  string `json:"kind"`
	// To is the contract called (the token, or the batch contract).
	To   string `json:"to"`
	Data string `json:"data"`
	Gas  uint64 `json:"gas"`
	// Payments are the indexes of the payments this step makes.
	Payments []int `json:"payments,omitempty"`
}

// ComputeHash returns the plan's content hash: SHA-256 of its JSON with Hash
// empty.
func (p *Plan) ComputeHash() string {
	c := *p
	c.Hash = ""
	b, err := json.Marshal(&c)
	if err != nil {
		panic(err) // a Plan always marshals
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Validate checks each payment's index and amount and the plan's total,
// and keeps the amounts as integers for TotalInt, Amount and AmountOf.
// LoadPlan and MakePlan validate the plans they return; a plan built
// otherwise is validated by the functions that need its amounts.
func (p *Plan) Validate() error {
	amounts := make([]*big.Int, len(p.Payments))
	for i, pay := range p.Payments {
		v, ok := new(big.Int).SetString(pay.Amount, 10)
		if !ok || pay.Index != i {
			return podium.FieldError(fmt.Sprintf("payments[%d]", i), "bad amount %q or index %d", pay.Amount, pay.Index)
		}
		amounts[i] = v
	}
	total, ok := new(big.Int).SetString(p.Total, 10)
	if !ok {
		return podium.FieldError("total", "%q is not an integer", p.Total)
	}
	p.amounts, p.total = amounts, total
	return nil
}

// validated validates p unless it already is.
func (p *Plan) validated() error {
	if p.total != nil && len(p.amounts) == len(p.Payments) {
		return nil
	}
	return p.Validate()
}

// TotalInt returns Total as an integer. p must be validated (see Validate).
func (p *Plan) TotalInt() *big.Int { return new(big.Int).Set(p.total) }

// Amount returns payment i's amount as an integer. p must be validated
// (see Validate).
func (p *Plan) Amount(i int) *big.Int { return new(big.Int).Set(p.amounts[i]) }

// AmountOf returns the sum of the given payments' amounts. p must be
// validated (see Validate).
func (p *Plan) AmountOf(payments []int) *big.Int {
	sum := new(big.Int)
	for _, i := range payments {
		sum.Add(sum, p.amounts[i])
	}
	return sum
}

// Save writes the plan as indented JSON.
func (p *Plan) Save(path string) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return durable.WriteFile(path, append(b, '\n'))
}

// LoadPlan reads a plan and checks that it is unchanged since it was made
// (its content hash) and, when want is not empty, that it is the plan that
// was reviewed.
func LoadPlan(path, want string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, podium.FieldError("plan", "%v", err)
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, podium.FieldError("plan", "%s is not a plan: %v", path, err)
	}
	if p.Version != PlanVersion {
		return nil, podium.FieldError("plan", "version %d, want %d", p.Version, PlanVersion)
	}
	if got := p.ComputeHash(); got != p.Hash {
		return nil, podium.Errorf(podium.ECONFLICT, "plan %s changed since it was made: content hash %s, recorded %s", path, got, p.Hash).
			WithHint("make a new plan with `podium payout plan` and review it again")
	}
	if want != "" && want != p.Hash {
		return nil, podium.Errorf(podium.ECONFLICT, "plan %s is %s, not the reviewed %s", path, p.Hash, want).
			WithHint("review this plan, or pass the plan that was reviewed")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}
