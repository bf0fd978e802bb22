package demo

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/contracts"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/lpnet/pm"
	"github.com/podiumhq/podium/node"
)

// The demo's ticket money: each prober's sender funds this deposit and
// reserve on the TicketBroker, each node gets gas money to redeem.
var (
	senderDeposit = big.NewInt(1e18)
	senderReserve = big.NewInt(1e18)
	gasMoney      = big.NewInt(1e18)
)

// MaxPrice is the probers' price cap, in wei per pixel.
var MaxPrice = big.NewRat(2000, 1)

// tickets are the demo's payments for testing: the TicketBroker on the
// dev chain, a round initializer (go-livepeer's -initializeRound), and
// what the nodes redeemed.
type tickets struct {
	broker *chain.TicketBroker
	log    *slog.Logger

	mu       sync.Mutex
	won      map[string]int      // winning tickets redeemed, by node address
	redeemed map[string]*big.Int // wei, by node address
	failed   int
	stop     func()
}

// proberKey is the key of region i's prober: it signs its requests and,
// as its ticket sender, its tickets.
func proberKey(seed int64, i int) *ecdsa.PrivateKey {
	return lpnet.KeyFromSeed(seed*100 + 90 + int64(i))
}

// roundsKey initializes rounds; its own key, so that its transactions never
// race the admin's payout for a nonce.
func roundsKey(seed int64) *ecdsa.PrivateKey { return lpnet.KeyFromSeed(seed*100 + 80) }

// setupTickets funds the probers' senders and the nodes' gas and starts
// the round initializer.
func setupTickets(ctx context.Context, c *devchain.Chain, client *ethclient.Client, ns *nodes, seed int64, log *slog.Logger) (*tickets, error) {
	t := &tickets{broker: &chain.TicketBroker{Client: client, Broker: c.TicketBroker, Rounds: c.RoundsManager, Bonding: c.BondingManager},
		log: log, won: map[string]int{}, redeemed: map[string]*big.Int{}}
	payFor := new(big.Int).Add(new(big.Int).Add(senderDeposit, senderReserve), gasMoney)
	for _, n := range ns.list {
		if err := c.Fund(ctx, common.HexToAddress(n.Address), gasMoney, nil); err != nil {
			return nil, fmt.Errorf("fund %s: %w", n.Character.Name, err)
		}
	}
	if err := c.Fund(ctx, chain.KeyAddress(roundsKey(seed)), gasMoney, nil); err != nil {
		return nil, fmt.Errorf("fund the round initializer: %w", err)
	}
	for i := range Regions {
		key := proberKey(seed, i)
		if err := c.Fund(ctx, chain.KeyAddress(key), payFor, nil); err != nil {
			return nil, fmt.Errorf("fund prober %s: %w", Regions[i], err)
		}
		if _, err := t.broker.FundDepositAndReserve(ctx, key, senderDeposit, senderReserve); err != nil {
			return nil, fmt.Errorf("fund prober %s's sender: %w", Regions[i], err)
		}
	}
	ictx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.initializeRounds(ictx, roundsKey(seed))
	}()
	t.stop = func() { cancel(); wg.Wait() }
	return t, nil
}

// initializeRounds initializes each new round, checking every second,
// until ctx ends: tickets name their creation round, and the broker
// redeems only in an initialized round.
func (t *tickets) initializeRounds(ctx context.Context, key *ecdsa.PrivateKey) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
		var done bool
		if err := chain.CallView(ctx, t.broker.Client, t.broker.Rounds, contracts.RoundsManager, "currentRoundInitialized", []any{&done}); err != nil || done {
			continue
		}
		if _, err := t.broker.InitializeRound(ctx, key); err != nil && ctx.Err() == nil {
			t.log.Warn("initialize round", "err", err)
		}
	}
}

// nodeTickets are n's tickets: go-livepeer's default ticket EV, winners
// redeemed with n's key and counted. The face value is capped at 10 EV
// (go-livepeer's -maxFaceValue), so that one ticket in ten wins and a
// short demo sees redemptions; a real orchestrator keeps its face value
// well above the gas a redemption costs.
func (t *tickets) nodeTickets(n *Node) *node.Tickets {
	return &node.Tickets{
		Chain: t.broker,
		Config: pm.RecipientConfig{EV: node.DefaultTicketEV, RedeemGas: 350_000, TxCostMultiplier: 100,
			MaxFaceValue: new(big.Int).Mul(node.DefaultTicketEV, big.NewInt(10))},
		Redeemer: &countingRedeemer{t: t, addr: n.Address, r: &chain.Redeemer{Broker: t.broker, Key: n.key}},
	}
}

// countingRedeemer redeems and counts.
type countingRedeemer struct {
	t    *tickets
	addr string
	r    node.Redeemer
}

// Redeem implements node.Redeemer.
func (c *countingRedeemer) Redeem(tk *pm.Ticket, sig []byte, rnd *big.Int) (*big.Int, error) {
	paid, err := c.r.Redeem(tk, sig, rnd)
	c.t.mu.Lock()
	defer c.t.mu.Unlock()
	if err != nil {
		c.t.failed++
		return nil, err
	}
	c.t.won[c.addr]++
	c.t.redeemed[c.addr] = new(big.Int).Add(orZero(c.t.redeemed[c.addr]), paid)
	return paid, nil
}

// Redemption is what one orchestrator redeemed.
type Redemption struct {
	Name, Address string
	Tickets       int
	Wei           *big.Int
}

// redemptions returns what each node redeemed, most first.
func (t *tickets) redemptions(ns *nodes) ([]Redemption, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Redemption
	for _, n := range ns.list {
		if t.won[n.Address] > 0 {
			out = append(out, Redemption{Name: n.Character.Name, Address: n.Address, Tickets: t.won[n.Address], Wei: new(big.Int).Set(t.redeemed[n.Address])})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Wei.Cmp(out[j].Wei) > 0 })
	return out, t.failed
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}
