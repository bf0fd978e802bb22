package payout

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/contracts"
)

// Gas limits. A limit is only a ceiling (a transaction pays for the gas it
// uses); these leave room for tokens costlier than the test LPT.
const (
	gasApprove  = 100_000
	gasTransfer = 100_000
	// gasBatchBase covers the batch's pull of its total into the contract
	// (allowance, sender balance and the contract's balance set from zero)
	// before the refund of that zeroed balance comes back at the end.
	gasBatchBase   = 100_000
	gasBatchPerPay = 45_000
	// maxTxGas is the per-transaction gas cap of EIP-7825 (Osaka).
	maxTxGas = 1 << 24
)

// Request is what a plan is made from.
type Request struct {
	// Distribution is the distribution file's bytes (docs/design.md §5.6).
	Distribution []byte
	Token        common.Address
	Sender       common.Address
	Method       string
	// Batch is the BatchPay contract (method batch).
	Batch common.Address
	// BatchSize caps the recipients per batch; 0 sizes batches by the block
	// gas limit alone.
	BatchSize int
	// Budget, when set, is the most the plan may pay, in base units.
	Budget *big.Int
	// BudgetTokens, when set instead of Budget, is the most the plan may
	// pay in tokens (e.g. "7000"), read with the distribution's decimals
	// (the flag --budget).
	BudgetTokens string
	// ChainID, when set, is the chain the plan must be for.
	ChainID *big.Int
	// JournalDir holds the plans and journals of earlier payouts ("" for
	// none); SinceBlock is the first block searched for this distribution's
	// tagged transactions. A distribution another plan paid, even in part,
	// is refused (see CheckUnpaid).
	JournalDir string
	SinceBlock uint64
}

// ReadDistribution reads a distribution file.
func ReadDistribution(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, podium.FieldError("distribution", "%v", err)
	}
	return b, nil
}

// MakePlan checks a distribution against the chain and returns the plan that
// pays it. Every check that can fail before signing fails here: chain id,
// token decimals, addresses, amounts, budget, sender balance, batch contract.
func MakePlan(ctx context.Context, c *ethclient.Client, req Request) (*Plan, error) {
	var d podium.Distribution
	dec := json.NewDecoder(strings.NewReader(string(req.Distribution)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, podium.FieldError("distribution", "not a distribution JSON: %v", err).
			WithHint("pass the output of `podium rewards --format json`")
	}
	sum := sha256.Sum256(req.Distribution)
	p := &Plan{
		Version: PlanVersion, Distribution: "sha256:" + hex.EncodeToString(sum[:]),
		Program: d.Program, Round: d.Round, Symbol: d.Token.Symbol, Decimals: d.Token.Decimals,
		Token: lower(req.Token), Sender: lower(req.Sender), Method: req.Method,
	}
	if req.Budget == nil && req.BudgetTokens != "" {
		b, err := podium.ParseAmount(strings.TrimSpace(req.BudgetTokens), d.Token.Decimals)
		if err != nil {
			return nil, podium.FieldError("--budget", "%v", err)
		}
		req.Budget = b
	}
	payments, amounts, total, err := paymentsOf(d)
	if err != nil {
		return nil, err
	}
	p.Payments, p.Total = payments, total.String()
	p.amounts, p.total = amounts, total
	id, err := d.ID()
	if err != nil {
		return nil, fmt.Errorf("distribution id: %w", err)
	}
	p.Tag = hexutil(PayoutTag(d.Program, d.Round, id))
	if req.Budget != nil {
		p.Budget = req.Budget.String()
		if total.Cmp(req.Budget) > 0 {
			return nil, podium.FieldError("budget", "the distribution pays %s, more than the budget %s", total, req.Budget).
				WithHint("check the distribution: a round never pays more than its budget")
		}
	}
	if req.Sender == (common.Address{}) {
		return nil, podium.FieldError("sender", "is the zero address")
	}
	if req.Token == (common.Address{}) {
		return nil, podium.FieldError("token", "is required").WithHint("pass --token ADDR")
	}
	if err := p.checkChain(ctx, c, req); err != nil {
		return nil, err
	}
	switch req.Method {
	case MethodTransfer:
		p.Steps = transferSteps(p)
	case MethodBatch:
		if err := p.batchSteps(ctx, c, req); err != nil {
			return nil, err
		}
	default:
		return nil, podium.FieldError("method", "%q is neither %s nor %s", req.Method, MethodTransfer, MethodBatch)
	}
	p.Hash = p.ComputeHash()
	if err := CheckUnpaid(ctx, c, p, req.JournalDir, nil, req.SinceBlock); err != nil {
		return nil, err
	}
	return p, nil
}

// paymentsOf turns recipients into payments and checks every address and amount.
func paymentsOf(d podium.Distribution) ([]Payment, []*big.Int, *big.Int, error) {
	if len(d.Recipients) == 0 {
		return nil, nil, nil, podium.FieldError("recipients", "the distribution pays nobody")
	}
	total := new(big.Int)
	var (
		out     []Payment
		amounts []*big.Int
	)
	for i, r := range d.Recipients {
		field := fmt.Sprintf("recipients[%d]", i)
		rec, err := chain.ParseAddress(r.Address)
		if err != nil {
			return nil, nil, nil, podium.FieldError(field+".address", "%v", err)
		}
		to, err := chain.ParseAddress(r.Payee())
		if err != nil {
			return nil, nil, nil, podium.FieldError(field+".pay_to", "%v", err)
		}
		amt, ok := new(big.Int).SetString(r.Amount, 10)
		if !ok || amt.Sign() <= 0 {
			return nil, nil, nil, podium.FieldError(field+".amount", "%q is not a positive integer of base units", r.Amount)
		}
		total.Add(total, amt)
		out = append(out, Payment{Index: i, Recipient: rec, To: to, Amount: amt.String()})
		amounts = append(amounts, amt)
	}
	if d.Total != "" && d.Total != total.String() {
		return nil, nil, nil, podium.FieldError("total", "is %s but the recipients add up to %s", d.Total, total).
			WithHint("the distribution file is damaged; take it again from `podium rewards`")
	}
	return out, amounts, total, nil
}

// checkChain checks chain id, token decimals and the sender's balance, and
// records the chain head.
func (p *Plan) checkChain(ctx context.Context, c *ethclient.Client, req Request) error {
	id, err := c.ChainID(ctx)
	if err != nil {
		return unavailable("chain id", err)
	}
	if req.ChainID != nil && req.ChainID.Cmp(id) != 0 {
		return podium.FieldError("chain-id", "the RPC serves chain %s, not %s", id, req.ChainID).
			WithHint("point --rpc at the chain the payout is for")
	}
	p.ChainID = id.Uint64()
	head, err := c.BlockNumber(ctx)
	if err != nil {
		return unavailable("block number", err)
	}
	// Blocks up to the head are sealed: none of them can hold this plan's payments.
	p.FromBlock = head + 1
	tok := chain.Token{Client: c, Address: req.Token}
	decimals, err := tok.Decimals(ctx)
	if err != nil {
		return podium.FieldError("token", "%s does not answer decimals(): %v", req.Token.Hex(), err).
			WithHint("is --token the token's address on this chain?")
	}
	if int(decimals) != p.Decimals {
		return podium.FieldError("token", "%s has %d decimals, the distribution is in %d", req.Token.Hex(), decimals, p.Decimals)
	}
	bal, err := tok.BalanceOf(ctx, req.Sender)
	if err != nil {
		return unavailable("sender balance", err)
	}
	if bal.Cmp(p.TotalInt()) < 0 {
		return podium.Errorf(podium.EINVALID, "sender %s holds %s base units, the payout needs %s", req.Sender.Hex(), bal, p.Total).
			WithHint("fund the sender with the token, then plan again")
	}
	return nil
}

func transferSteps(p *Plan) []Step {
	steps := make([]Step, len(p.Payments))
	a := contracts.ABI(contracts.TestLPT)
	for i, pay := range p.Payments {
		data, _ := a.Pack("transfer", common.HexToAddress(pay.To), p.Amount(i))
		steps[i] = Step{Index: i, Kind: KindTransfer, To: p.Token, Data: hexutil(tagged(data, p.Tag)), Gas: gasTransfer, Payments: []int{i}}
	}
	return steps
}

// batchSteps plans an approve (when the allowance falls short) and batches
// sized to stay well under the block gas limit and the per-transaction cap.
func (p *Plan) batchSteps(ctx context.Context, c *ethclient.Client, req Request) error {
	if req.Batch == (common.Address{}) {
		return podium.FieldError("batch", "method batch needs the batch contract").WithHint("pass --batch ADDR")
	}
	code, err := c.CodeAt(ctx, req.Batch, nil)
	if err != nil {
		return unavailable("batch contract code", err)
	}
	if len(code) == 0 {
		return podium.FieldError("batch", "no contract at %s on chain %d", req.Batch.Hex(), p.ChainID)
	}
	p.Batch = lower(req.Batch)
	head, err := c.HeaderByNumber(ctx, nil)
	if err != nil {
		return unavailable("latest header", err)
	}
	limit := min(head.GasLimit/2, maxTxGas)
	size := int((limit - gasBatchBase) / gasBatchPerPay)
	if req.BatchSize > 0 && req.BatchSize < size {
		size = req.BatchSize
	}
	if size < 1 {
		return podium.FieldError("batch-size", "no batch fits under the gas limit %d", limit)
	}
	allowance, err := chain.Token{Client: c, Address: req.Token}.Allowance(ctx, req.Sender, req.Batch)
	if err != nil {
		return unavailable("allowance", err)
	}
	tokenABI, batchABI := contracts.ABI(contracts.TestLPT), contracts.ABI(contracts.BatchPay)
	if allowance.Cmp(p.TotalInt()) < 0 {
		data, _ := tokenABI.Pack("approve", req.Batch, p.TotalInt())
		p.Steps = append(p.Steps, Step{Kind: KindApprove, To: p.Token, Data: hexutil(data), Gas: gasApprove})
	}
	for start := 0; start < len(p.Payments); start += size {
		chunk := p.Payments[start:min(start+size, len(p.Payments))]
		var (
			to   []common.Address
			vals []*big.Int
			idx  []int
		)
		for _, pay := range chunk {
			to = append(to, common.HexToAddress(pay.To))
			vals = append(vals, p.Amount(pay.Index))
			idx = append(idx, pay.Index)
		}
		data, _ := batchABI.Pack("disperseToken", req.Token, to, vals)
		gas := gasBatchBase + gasBatchPerPay*uint64(len(chunk))
		p.Steps = append(p.Steps, Step{Kind: KindBatch, To: p.Batch, Data: hexutil(tagged(data, p.Tag)), Gas: gas, Payments: idx})
	}
	for i := range p.Steps {
		p.Steps[i].Index = i
	}
	return nil
}

func lower(a common.Address) string { return strings.ToLower(a.Hex()) }

func hexutil(b []byte) string { return "0x" + hex.EncodeToString(b) }

func unavailable(what string, err error) error {
	return &podium.Error{Code: podium.EUNAVAILABLE, Message: what, Err: err, Hint: "check --rpc; retrying later may work"}
}
