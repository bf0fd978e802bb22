package chain

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium/chain/contracts"
	"github.com/podiumhq/podium/lpnet/pm"
)

// TicketBroker reads Livepeer's TicketBroker, RoundsManager and
// BondingManager for ticket payments; it implements pm.Chain. Its
// transactions are in ticketbroker_tx.go.
type TicketBroker struct {
	Client                  *ethclient.Client
	Broker, Rounds, Bonding common.Address
	// Timeout bounds each read made through pm.Chain, whose methods take
	// no context; 0 means 10 s.
	Timeout time.Duration
}

func (b *TicketBroker) ctx() (context.Context, context.CancelFunc) {
	d := b.Timeout
	if d <= 0 {
		d = 10 * time.Second
	}
	return context.WithTimeout(context.Background(), d)
}

// SenderInfo implements pm.Chain with getSenderInfo.
func (b *TicketBroker) SenderInfo(sender common.Address) (pm.SenderInfo, error) {
	ctx, cancel := b.ctx()
	defer cancel()
	data, err := contracts.ABI(contracts.TicketBroker).Pack("getSenderInfo", sender)
	if err != nil {
		return pm.SenderInfo{}, err
	}
	ret, err := b.Client.CallContract(ctx, callMsg(b.Broker, data), nil)
	if err != nil {
		return pm.SenderInfo{}, fmt.Errorf("getSenderInfo %s: %w", sender.Hex(), err)
	}
	vals, err := contracts.ABI(contracts.TicketBroker).Unpack("getSenderInfo", ret)
	if err != nil || len(vals) != 2 {
		return pm.SenderInfo{}, fmt.Errorf("unpack getSenderInfo: %v values, %w", len(vals), err)
	}
	s := *abi.ConvertType(vals[0], new(struct{ Deposit, WithdrawRound *big.Int })).(*struct{ Deposit, WithdrawRound *big.Int })
	r := *abi.ConvertType(vals[1], new(struct{ FundsRemaining, ClaimedInCurrentRound *big.Int })).(*struct{ FundsRemaining, ClaimedInCurrentRound *big.Int })
	return pm.SenderInfo{Deposit: s.Deposit, WithdrawRound: s.WithdrawRound,
		Reserve: pm.ReserveInfo{FundsRemaining: r.FundsRemaining, ClaimedInCurrentRound: r.ClaimedInCurrentRound}}, nil
}

// ClaimedReserve implements pm.Chain with claimedReserve.
func (b *TicketBroker) ClaimedReserve(sender, claimant common.Address) (*big.Int, error) {
	ctx, cancel := b.ctx()
	defer cancel()
	var v *big.Int
	err := callView(ctx, b.Client, b.Broker, contracts.TicketBroker, "claimedReserve", []any{&v}, sender, claimant)
	return v, err
}

// State implements pm.Chain: the last initialized round and its block
// hash, the latest block (the dev chain's blocks count as L1 blocks) and
// the pool size.
func (b *TicketBroker) State() (pm.ChainState, error) {
	ctx, cancel := b.ctx()
	defer cancel()
	var round, pool *big.Int
	var hash [32]byte
	if err := callView(ctx, b.Client, b.Rounds, contracts.RoundsManager, "lastInitializedRound", []any{&round}); err != nil {
		return pm.ChainState{}, err
	}
	if err := callView(ctx, b.Client, b.Rounds, contracts.RoundsManager, "blockHashForRound", []any{&hash}, round); err != nil {
		return pm.ChainState{}, err
	}
	if err := callView(ctx, b.Client, b.Bonding, contracts.BondingManager, "getTranscoderPoolSize", []any{&pool}); err != nil {
		return pm.ChainState{}, err
	}
	block, err := b.Client.BlockNumber(ctx)
	if err != nil {
		return pm.ChainState{}, fmt.Errorf("block number: %w", err)
	}
	return pm.ChainState{Round: round.Int64(), RoundBlockHash: hash, L1Block: new(big.Int).SetUint64(block), PoolSize: pool.Int64()}, nil
}

// ResolveTicketBroker finds the TicketBroker, RoundsManager and
// BondingManager through the Controller at controller (zero: Arbitrum
// One's).
func ResolveTicketBroker(ctx context.Context, client *ethclient.Client, controller common.Address) (*TicketBroker, error) {
	r := &Registry{Client: client}
	if controller == (common.Address{}) {
		controller = ArbitrumOneController
	}
	tb := &TicketBroker{Client: client}
	for _, c := range []struct {
		name string
		out  *common.Address
	}{{"TicketBroker", &tb.Broker}, {"RoundsManager", &tb.Rounds}, {"BondingManager", &tb.Bonding}} {
		a, err := r.resolve(ctx, controller, c.name)
		if err != nil {
			return nil, err
		}
		*c.out = a
	}
	return tb, nil
}
