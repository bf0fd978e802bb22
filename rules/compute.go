package rules

import (
	"math/big"
	"sort"

	"github.com/podiumhq/podium"
)

// PoolResult summarizes what one pool paid.
type PoolResult struct {
	Name       string
	Max        *big.Int // the most the pool could pay
	Paid       *big.Int
	Recipients int
}

// Outcome is a computed distribution and how each pool contributed.
type Outcome struct {
	Distribution podium.Distribution
	Pools        []PoolResult
}

// Compute returns round id's distribution under p from snapshot s, which
// must be the snapshot that round's rules call for.
func Compute(p *podium.Program, id int, s *podium.Snapshot) (*Outcome, error) {
	r, err := p.Round(id)
	if err != nil {
		return nil, err
	}
	if s.Program != p.Name || s.Round != r.ID {
		return nil, podium.Errorf(podium.EINVALID, "the snapshot is of %s round %d, not %s round %d", s.Program, s.Round, p.Name, r.ID)
	}
	if !s.At.Equal(r.Snapshot.At) || s.Since != r.Snapshot.Since().Unix() || s.Until != r.Snapshot.At.Unix() {
		return nil, podium.Errorf(podium.EINVALID, "the snapshot covers [%d, %d) at %s; round %d's rules call for [%d, %d) at %s",
			s.Since, s.Until, s.At.Format("2006-01-02T15:04:05Z"), r.ID, r.Snapshot.Since().Unix(), r.Snapshot.At.Unix(), r.Snapshot.At.Format("2006-01-02T15:04:05Z")).
			WithHint("take the round's snapshot with `podium snapshot --program FILE --round N`")
	}
	return Project(p, id, s)
}

// Project computes round id's distribution from any snapshot of p, such as
// one taken during the round to project the rewards.
func Project(p *podium.Program, id int, s *podium.Snapshot) (*Outcome, error) {
	r, err := p.Round(id)
	if err != nil {
		return nil, err
	}
	if s.Program != p.Name {
		return nil, podium.Errorf(podium.EINVALID, "the snapshot is of program %s, not %s", s.Program, p.Name)
	}
	rulesID, err := p.RulesID(id)
	if err != nil {
		return nil, err
	}
	snapID, err := s.ID()
	if err != nil {
		return nil, err
	}
	b := NewBoard(p, r, s)
	awards := map[string][]podium.Award{}
	sums := map[string]*big.Int{}
	total := new(big.Int)
	out := &Outcome{}
	for _, pool := range r.Pools {
		paid := new(big.Int)
		n := 0
		for _, a := range b.pay(pool) {
			awards[a.addr] = append(awards[a.addr], a.award())
			if sums[a.addr] == nil {
				sums[a.addr] = new(big.Int)
			}
			sums[a.addr].Add(sums[a.addr], a.amount)
			paid.Add(paid, a.amount)
			n++
		}
		limit := pool.Max(r)
		if paid.Cmp(limit) > 0 {
			return nil, podium.Errorf(podium.EINTERNAL, "pool %s would pay %s, more than its %s", pool.Name, paid, limit)
		}
		total.Add(total, paid)
		out.Pools = append(out.Pools, PoolResult{Name: pool.Name, Max: limit, Paid: paid, Recipients: n})
	}
	if total.Cmp(r.Budget) > 0 {
		return nil, podium.Errorf(podium.EINTERNAL, "round %d would pay %s, more than its budget %s", r.ID, total, r.Budget)
	}
	d := podium.Distribution{
		Program: p.Name, Round: r.ID, RulesID: rulesID, SnapshotID: snapID, Token: p.Token.Info(),
		Recipients: []podium.Recipient{}, Total: total.String(), Undistributed: new(big.Int).Sub(r.Budget, total).String(),
	}
	payout := map[string]string{}
	for _, e := range s.Registry {
		payout[e.Address] = e.PayoutAddress
	}
	for addr, sum := range sums {
		rec := podium.Recipient{Address: addr, Amount: sum.String(), Awards: awards[addr]}
		if pt := payout[addr]; pt != "" && pt != addr {
			rec.PayTo = pt
		}
		d.Recipients = append(d.Recipients, rec)
	}
	sort.Slice(d.Recipients, func(i, j int) bool { return d.Recipients[i].Address < d.Recipients[j].Address })
	out.Distribution = d
	return out, nil
}

// payment is one award to one address.
type payment struct {
	addr            string
	pool            string
	region          string
	rank            int
	pipeline, model string // AI pools
	amount          *big.Int
}

func (a payment) award() podium.Award {
	return podium.Award{Pool: a.pool, Region: a.region, Rank: a.rank, Pipeline: a.pipeline, Model: a.model, Amount: a.amount.String()}
}

// pay returns the payments of one pool, in address order (or region and
// rank order for a top-N pool).
func (b *Board) pay(pool podium.Pool) []payment {
	e := pool.Eligible
	if e.IsAI() {
		return b.payAI(pool)
	}
	if e.Top > 0 {
		var out []payment
		for _, region := range b.r.ScopeRegions(e.Regions) {
			var ranked []Standing
			for _, addr := range b.addrs {
				s, ok := b.scores[addr][region]
				if ok && b.candidate(addr, e) && Passes(s, e.MinScore) {
					ranked = append(ranked, Standing{Address: addr, Region: region, Score: s})
				}
			}
			sort.Slice(ranked, func(i, j int) bool { return less(ranked[i], ranked[j]) })
			for i, st := range ranked[:min(len(ranked), e.Top)] {
				out = append(out, payment{addr: st.Address, pool: pool.Name, region: region, rank: i + 1})
			}
		}
		each := perRecipient(pool, len(out))
		for i := range out {
			out[i].amount = new(big.Int).Set(each)
		}
		if each.Sign() == 0 {
			return nil
		}
		return out
	}
	var pays []payment
	var scores []podium.Score
	for _, addr := range b.addrs {
		if !b.candidate(addr, e) {
			continue
		}
		if s, ok := b.qualifies(addr, e); ok {
			pays = append(pays, payment{addr: addr, pool: pool.Name})
			scores = append(scores, s)
		}
	}
	return b.split(pool, pays, scores)
}

// split pays the eligible of a pool without top, in the order given:
// per_recipient each (or an equal share of the cap), floor(amount / n)
// each, or floor(amount × w / Σw) with w the qualifying score in
// billionths. Payments of 0 are dropped.
func (b *Board) split(pool podium.Pool, pays []payment, scores []podium.Score) []payment {
	if len(pays) == 0 {
		return nil
	}
	n := big.NewInt(int64(len(pays)))
	amounts := make([]*big.Int, len(pays))
	switch {
	case pool.PerRecipient != nil:
		each := perRecipient(pool, len(pays))
		for i := range amounts {
			amounts[i] = new(big.Int).Set(each)
		}
	case pool.Split == podium.SplitProportional:
		weights := make([]*big.Int, len(scores))
		sum := new(big.Int)
		for i, s := range scores {
			weights[i] = weight(s)
			sum.Add(sum, weights[i])
		}
		for i, w := range weights {
			amounts[i] = new(big.Int)
			if sum.Sign() > 0 {
				amounts[i].Quo(new(big.Int).Mul(pool.Amount, w), sum)
			}
		}
	default: // equal split
		each := new(big.Int).Quo(pool.Amount, n)
		for i := range amounts {
			amounts[i] = new(big.Int).Set(each)
		}
	}
	var out []payment
	for i, p := range pays {
		if amounts[i].Sign() > 0 {
			p.amount = amounts[i]
			out = append(out, p)
		}
	}
	return out
}

// perRecipient returns what each of n recipients of a per-recipient pool
// gets: PerRecipient, or an equal share of the cap (floored) when n of them
// would exceed it.
func perRecipient(pool podium.Pool, n int) *big.Int {
	if n == 0 {
		return new(big.Int)
	}
	k := big.NewInt(int64(n))
	if pool.Amount != nil && new(big.Int).Mul(pool.PerRecipient, k).Cmp(pool.Amount) > 0 {
		return new(big.Int).Quo(pool.Amount, k)
	}
	return new(big.Int).Set(pool.PerRecipient)
}

// qualifies reports whether addr meets e's score in e's regions, and the
// score that qualified it: the best one for any/list, the lowest for all.
func (b *Board) qualifies(addr string, e podium.Eligibility) (podium.Score, bool) {
	regions := b.r.ScopeRegions(e.Regions)
	var best podium.Score
	found := false
	for _, region := range regions {
		s, ok := b.scores[addr][region]
		pass := ok && Passes(s, e.MinScore)
		if e.Regions.Mode == podium.ScopeAll {
			if !pass {
				return podium.Score{}, false
			}
			if !found || s.Total < best.Total {
				best = s
			}
			found = true
			continue
		}
		if pass && (!found || s.Total > best.Total) {
			best, found = s, true
		}
	}
	return best, found
}
