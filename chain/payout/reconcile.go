package payout

import (
	"context"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
)

// Paid is a planned payment and the Transfer that made it, if any.
type Paid struct {
	Payment
	Found bool   `json:"found"`
	Tx    string `json:"tx,omitempty"`
	Block uint64 `json:"block,omitempty"`
}

// Extra is a Transfer from the sender that pays no planned payment.
type Extra struct {
	To     string `json:"to"`
	Amount string `json:"amount"`
	Tx     string `json:"tx"`
	Block  uint64 `json:"block"`
}

// Reconciliation compares a plan with the token's Transfer logs.
type Reconciliation struct {
	FromBlock uint64 `json:"from_block"`
	ToBlock   uint64 `json:"to_block"`
	Payments  []Paid `json:"payments"`
	// Extra lists transfers from the sender in the range that match no
	// planned payment (a payment made twice shows up here once).
	Extra []Extra `json:"extra"`
}

// OK reports whether every planned payment was found exactly once and
// nothing else was sent.
func (r *Reconciliation) OK() bool {
	for _, p := range r.Payments {
		if !p.Found {
			return false
		}
	}
	return len(r.Extra) == 0
}

// Missing counts planned payments not found.
func (r *Reconciliation) Missing() int {
	n := 0
	for _, p := range r.Payments {
		if !p.Found {
			n++
		}
	}
	return n
}

// Reconcile matches every Transfer the sender made in the token since the
// plan was made against the planned payments, each transfer used at most once.
func Reconcile(ctx context.Context, c *ethclient.Client, p *Plan) (*Reconciliation, error) {
	head, err := c.BlockNumber(ctx)
	if err != nil {
		return nil, unavailable("block number", err)
	}
	return match(ctx, c, common.HexToAddress(p.Token), common.HexToAddress(p.Sender), p.FromBlock, head, p.Payments)
}

// match is Reconcile for any list of payments and block range.
func match(ctx context.Context, c *ethclient.Client, token, sender common.Address, from, to uint64, payments []Payment) (*Reconciliation, error) {
	logs, err := transfersFrom(ctx, c, token, sender, from, to)
	if err != nil {
		return nil, err
	}
	// Payments by (to, amount); identical ones match transfers in order.
	type key struct {
		to  common.Address
		amt string
	}
	want := map[key][]int{}
	rec := &Reconciliation{FromBlock: from, ToBlock: to, Payments: make([]Paid, len(payments)), Extra: []Extra{}}
	for i, p := range payments {
		rec.Payments[i] = Paid{Payment: p}
		k := key{common.HexToAddress(p.To), p.Amount}
		want[k] = append(want[k], i)
	}
	for _, l := range logs {
		t, err := decodeTransfer(l)
		if err != nil {
			return nil, err
		}
		k := key{t.To, t.Amount.String()}
		if q := want[k]; len(q) > 0 {
			i := q[0]
			want[k] = q[1:]
			rec.Payments[i].Found, rec.Payments[i].Tx, rec.Payments[i].Block = true, t.Tx.Hex(), t.Block
			continue
		}
		rec.Extra = append(rec.Extra, Extra{To: strings.ToLower(t.To.Hex()), Amount: t.Amount.String(), Tx: t.Tx.Hex(), Block: t.Block})
	}
	return rec, nil
}
