package payout

import (
	"context"
	"math/big"
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

// Extra is a Transfer from the sender that pays no planned payment (or, for
// a batch, a transfer from the batch contract in the sender's transaction).
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
	// planned payment, batches' transfers to recipients included (a payment
	// made twice shows up here once).
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
// plan was made, and every transfer a batch contract made on in the same
// transaction, against the planned payments, each transfer used at most once.
func Reconcile(ctx context.Context, c *ethclient.Client, p *Plan) (*Reconciliation, error) {
	head, err := c.BlockNumber(ctx)
	if err != nil {
		return nil, unavailable("block number", err)
	}
	return match(ctx, c, common.HexToAddress(p.Token), common.HexToAddress(p.Sender), p.FromBlock, head, p.Payments)
}

// match is Reconcile for any list of payments and block range. A transfer
// from the sender that pays no planned payment, to an address that sends the
// token on in the same transaction (the batch contract: it pulls a batch's
// total, then pays each recipient), stands for those onward transfers: they
// are matched in its place.
func match(ctx context.Context, c *ethclient.Client, token, sender common.Address, from, to uint64, payments []Payment) (*Reconciliation, error) {
	logs, err := transfersFrom(ctx, c, token, sender, from, to)
	if err != nil {
		return nil, err
	}
	m := newMatcher(from, to, payments)
	// Unmatched transfers summed per (transaction, receiver): a transaction
	// that calls the batch contract twice is followed once.
	type txTo struct{ tx, to common.Hash }
	var unmatched []transfer
	at := map[txTo]int{}
	for _, l := range logs {
		t, err := decodeTransfer(l)
		if err != nil {
			return nil, err
		}
		if m.pay(t) {
			continue
		}
		k := txTo{t.Tx, common.BytesToHash(t.To.Bytes())}
		if i, ok := at[k]; ok {
			unmatched[i].Amount = new(big.Int).Add(unmatched[i].Amount, t.Amount)
			continue
		}
		at[k] = len(unmatched)
		unmatched = append(unmatched, t)
	}
	fw := forwards{ctx: ctx, c: c, token: token, seen: map[forwardKey][]transfer{}}
	for _, t := range unmatched {
		on, err := fw.of(t)
		if err != nil {
			return nil, err
		}
		sent := new(big.Int)
		for _, o := range on {
			sent.Add(sent, o.Amount)
			if !m.pay(o) {
				m.extra(o.To, o.Amount, o)
			}
		}
		if left := new(big.Int).Sub(t.Amount, sent); left.Sign() > 0 {
			m.extra(t.To, left, t) // kept by the intermediary, or no intermediary
		}
	}
	return m.rec, nil
}

// matcher pairs transfers with planned payments by (to, amount); identical
// payments match transfers in order.
type matcher struct {
	rec  *Reconciliation
	want map[payKey][]int
}

type payKey struct {
	to  common.Address
	amt string
}

func newMatcher(from, to uint64, payments []Payment) *matcher {
	m := &matcher{
		rec:  &Reconciliation{FromBlock: from, ToBlock: to, Payments: make([]Paid, len(payments)), Extra: []Extra{}},
		want: map[payKey][]int{},
	}
	for i, p := range payments {
		m.rec.Payments[i] = Paid{Payment: p}
		k := payKey{common.HexToAddress(p.To), p.Amount}
		m.want[k] = append(m.want[k], i)
	}
	return m
}

// pay marks the first unpaid payment t pays, and reports whether there was one.
func (m *matcher) pay(t transfer) bool {
	k := payKey{t.To, t.Amount.String()}
	q := m.want[k]
	if len(q) == 0 {
		return false
	}
	i := q[0]
	m.want[k] = q[1:]
	m.rec.Payments[i].Found, m.rec.Payments[i].Tx, m.rec.Payments[i].Block = true, t.Tx.Hex(), t.Block
	return true
}

func (m *matcher) extra(to common.Address, amount *big.Int, t transfer) {
	m.rec.Extra = append(m.rec.Extra, Extra{To: strings.ToLower(to.Hex()), Amount: amount.String(), Tx: t.Tx.Hex(), Block: t.Block})
}

// forwards finds what the receiver of a transfer sent on in the same
// transaction, one log query per receiver and block.
type forwards struct {
	ctx   context.Context
	c     *ethclient.Client
	token common.Address
	seen  map[forwardKey][]transfer
}

type forwardKey struct {
	from  common.Address
	block common.Hash
}

func (f *forwards) of(t transfer) ([]transfer, error) {
	k := forwardKey{t.To, t.BlockHash}
	all, ok := f.seen[k]
	if !ok {
		logs, err := transfersIn(f.ctx, f.c, f.token, t.To, t.BlockHash)
		if err != nil {
			return nil, err
		}
		for _, l := range logs {
			d, err := decodeTransfer(l)
			if err != nil {
				return nil, err
			}
			all = append(all, d)
		}
		f.seen[k] = all
	}
	var out []transfer
	for _, d := range all {
		if d.Tx == t.Tx {
			out = append(out, d)
		}
	}
	return out, nil
}
