package pm

import (
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// Balances are a recipient's credit per sender and session, as go-livepeer
// keeps them: tickets credit their expected value, work debits its fee.
type Balances struct {
	mu sync.Mutex
	m  map[balanceKey]*big.Rat
}

type balanceKey struct {
	sender  common.Address
	session string
}

// Credit adds amount to the balance of sender's session.
func (b *Balances) Credit(sender common.Address, session string, amount *big.Rat) {
	b.add(sender, session, amount)
}

// Debit subtracts amount from the balance of sender's session.
func (b *Balances) Debit(sender common.Address, session string, amount *big.Rat) {
	b.add(sender, session, new(big.Rat).Neg(amount))
}

func (b *Balances) add(sender common.Address, session string, amount *big.Rat) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = make(map[balanceKey]*big.Rat)
	}
	k := balanceKey{sender, session}
	if b.m[k] == nil {
		b.m[k] = new(big.Rat)
	}
	b.m[k].Add(b.m[k], amount)
}

// Balance is the balance of sender's session, 0 when it has none.
func (b *Balances) Balance(sender common.Address, session string) *big.Rat {
	b.mu.Lock()
	defer b.mu.Unlock()
	if v := b.m[balanceKey{sender, session}]; v != nil {
		return new(big.Rat).Set(v)
	}
	return new(big.Rat)
}

// Credit is a sender's own view of its credit with one recipient session,
// staged and settled around each payment as go-livepeer's broadcaster does.
type Credit struct {
	mu     sync.Mutex
	amount *big.Rat
}

// Update is a staged payment: the credit taken out for it and the
// tickets' value added.
type Update struct {
	Tickets  int
	Existing *big.Rat
	New      *big.Rat
}

// Stage takes the whole credit out and says how many tickets of expected
// value ev bring it to at least minCredit (see NumTickets).
func (c *Credit) Stage(minCredit, ev *big.Rat) Update {
	c.mu.Lock()
	existing := c.amount
	if existing == nil {
		existing = new(big.Rat)
	}
	c.amount = new(big.Rat)
	c.mu.Unlock()
	n := NumTickets(minCredit, existing, ev)
	return Update{Tickets: n, Existing: existing, New: new(big.Rat).Mul(big.NewRat(int64(n), 1), ev)}
}

// Unsent puts back the credit of an update whose payment never left.
func (c *Credit) Unsent(u Update) { c.add(u.Existing) }

// Settled credits the change of an update whose work came back with
// fee debit: existing + new − debit. A payment sent but answered with no
// work settles nothing: its credit is spent, as go-livepeer counts it.
func (c *Credit) Settled(u Update, debit *big.Rat) {
	ch := new(big.Rat).Add(u.Existing, u.New)
	c.add(ch.Sub(ch, debit))
}

func (c *Credit) add(x *big.Rat) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.amount == nil {
		c.amount = new(big.Rat)
	}
	c.amount.Add(c.amount, x)
}
