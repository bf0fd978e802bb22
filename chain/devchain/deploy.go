package devchain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/contracts"
)

// DefaultOrchestrators are registered when Config.Orchestrators is nil: three
// active orchestrators with deterministic addresses and loopback URIs.
func DefaultOrchestrators() []podium.Orchestrator {
	var out []podium.Orchestrator
	for i := 1; i <= 3; i++ {
		a := common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprintf("podium dev orchestrator %d", i))))
		out = append(out, podium.Orchestrator{
			Address:    hexLower(a),
			ServiceURI: fmt.Sprintf("https://127.0.0.1:%d", 8935+i-1),
			Name:       fmt.Sprintf("orch-%d.eth", i),
			Active:     true,
		})
	}
	return out
}

// op is one transaction of the deployment: a contract creation (to == nil)
// or a call.
type op struct {
	to    *common.Address
	data  []byte
	gas   uint64
	value *big.Int
	out   *common.Address // where a creation's address is stored
}

func create(name string, out *common.Address) op {
	return op{data: contracts.Bytecode(name), gas: 3_000_000, out: out}
}

func call(to common.Address, name, method string, args ...any) op {
	data, err := contracts.ABI(name).Pack(method, args...)
	if err != nil {
		panic(fmt.Sprintf("devchain: pack %s.%s: %v", name, method, err)) // a bug in this file
	}
	return op{to: &to, data: data, gas: 300_000}
}

// deploy creates the contracts, wires the Controller, mints LPT to the admin
// and registers the orchestrators.
func (c *Chain) deploy(ctx context.Context, cfg Config) error {
	var resolver common.Address
	if err := c.run(ctx, []op{
		create(contracts.TestLPT, &c.Token),
		create(contracts.BatchPay, &c.Batch),
		create(contracts.Controller, &c.Controller),
		create(contracts.BondingManager, &c.BondingManager),
		create(contracts.ServiceRegistry, &c.ServiceRegistry),
		create(contracts.ENSRegistry, &c.ENSRegistry),
		create(contracts.NameResolver, &resolver),
		createWith(contracts.RoundsManager, &c.RoundsManager, big.NewInt(cfg.RoundLength)),
	}); err != nil {
		return err
	}
	if err := c.run(ctx, []op{
		createWith(contracts.TicketBroker, &c.TicketBroker, c.RoundsManager, c.BondingManager, big.NewInt(2), big.NewInt(2)),
	}); err != nil {
		return err
	}
	id := func(name string) [32]byte { return crypto.Keccak256Hash([]byte(name)) }
	ops := []op{
		call(c.Controller, contracts.Controller, "setContract", id("BondingManager"), c.BondingManager),
		call(c.Controller, contracts.Controller, "setContract", id("ServiceRegistry"), c.ServiceRegistry),
		call(c.Controller, contracts.Controller, "setContract", id("LivepeerToken"), c.Token),
		call(c.Controller, contracts.Controller, "setContract", id("RoundsManager"), c.RoundsManager),
		call(c.Controller, contracts.Controller, "setContract", id("TicketBroker"), c.TicketBroker),
		call(c.Token, contracts.TestLPT, "mint", c.Admin, cfg.AdminLPT),
	}
	for _, o := range cfg.Orchestrators {
		a := common.HexToAddress(o.Address)
		ops = append(ops,
			call(c.BondingManager, contracts.BondingManager, "setTranscoder", a, o.Active),
			call(c.ServiceRegistry, contracts.ServiceRegistry, "setServiceURIFor", a, o.ServiceURI))
		if o.Name != "" {
			node := chain.ReverseNode(a)
			ops = append(ops,
				call(resolver, contracts.NameResolver, "setName", node, o.Name),
				call(c.ENSRegistry, contracts.ENSRegistry, "setResolver", node, resolver))
		}
	}
	if err := c.run(ctx, ops); err != nil {
		return err
	}
	return c.InitializeRound(ctx)
}

// InitializeRound initializes the current round unless it is: tickets
// carry the round and its block hash, and the TicketBroker redeems only in
// an initialized round.
func (c *Chain) InitializeRound(ctx context.Context) error {
	var done bool
	if err := chain.CallView(ctx, c.client, c.RoundsManager, contracts.RoundsManager, "currentRoundInitialized", []any{&done}); err != nil {
		return err
	}
	if done {
		return nil
	}
	return c.run(ctx, []op{call(c.RoundsManager, contracts.RoundsManager, "initializeRound")})
}

// createWith is a creation of the named contract with constructor args.
func createWith(name string, out *common.Address, args ...any) op {
	packed, err := contracts.ABI(name).Pack("", args...)
	if err != nil {
		panic(fmt.Sprintf("devchain: pack %s constructor: %v", name, err)) // a bug in this file
	}
	return op{data: append(append([]byte{}, contracts.Bytecode(name)...), packed...), gas: 3_000_000, out: out}
}

// mineTimeout bounds the wait for a batch of transactions to be mined; the
// dev node mines each within milliseconds when it works.
const mineTimeout = 45 * time.Second

// errNotMined reports transactions the node accepted but did not mine.
var errNotMined = errors.New("transactions not mined")

// run sends ops from the admin with consecutive nonces, then waits for all
// receipts and checks that each succeeded.
func (c *Chain) run(ctx context.Context, ops []op) error {
	nonce, err := c.client.PendingNonceAt(ctx, c.Admin)
	if err != nil {
		return fmt.Errorf("nonce: %w", err)
	}
	fees, err := chain.SuggestFees(ctx, c.client)
	if err != nil {
		return err
	}
	signer := types.LatestSignerForChainID(c.ChainID)
	hashes := make([]common.Hash, len(ops))
	for i, o := range ops {
		tx := types.NewTx(&types.DynamicFeeTx{
			ChainID: c.ChainID, Nonce: nonce + uint64(i), GasTipCap: fees.Tip, GasFeeCap: fees.Cap,
			Gas: o.gas, To: o.to, Data: o.data, Value: o.value,
		})
		signed, err := types.SignTx(tx, signer, c.adminKey)
		if err != nil {
			return fmt.Errorf("sign: %w", err)
		}
		if err := c.client.SendTransaction(ctx, signed); err != nil {
			return fmt.Errorf("send: %w", err)
		}
		hashes[i] = signed.Hash()
		if o.out != nil {
			*o.out = crypto.CreateAddress(c.Admin, nonce+uint64(i))
		}
	}
	wctx, cancel := context.WithTimeout(ctx, mineTimeout)
	defer cancel()
	for i, h := range hashes {
		r, err := chain.WaitReceipt(wctx, c.client, h, 50*time.Millisecond)
		if err != nil {
			if ctx.Err() == nil {
				executable, queued := c.backend.TxPool().Stats()
				return fmt.Errorf("%w: %v (block %d, %d executable and %d queued transactions in the pool)",
					errNotMined, err, c.backend.BlockChain().CurrentBlock().Number, executable, queued)
			}
			return err
		}
		if r.Status != types.ReceiptStatusSuccessful {
			return fmt.Errorf("transaction %d (%s) reverted", i, h.Hex())
		}
	}
	return nil
}

// Fund sends wei of ETH and lpt base units of test LPT from the admin to addr
// (either may be nil). Tests use it to set up other senders.
func (c *Chain) Fund(ctx context.Context, addr common.Address, wei, lpt *big.Int) error {
	var ops []op
	if wei != nil && wei.Sign() > 0 {
		ops = append(ops, op{to: &addr, gas: 21_000, value: wei})
	}
	if lpt != nil && lpt.Sign() > 0 {
		ops = append(ops, call(c.Token, contracts.TestLPT, "mint", addr, lpt))
	}
	return c.run(ctx, ops)
}

// DeployMerkleDistributor deploys a MerkleDistributor for the test LPT with
// root and mints total to it, so claims can be paid.
func (c *Chain) DeployMerkleDistributor(ctx context.Context, root common.Hash, total *big.Int) (common.Address, error) {
	args, err := contracts.ABI(contracts.MerkleDistributor).Pack("", c.Token, root)
	if err != nil {
		return common.Address{}, err
	}
	var addr common.Address
	code := append(append([]byte{}, contracts.Bytecode(contracts.MerkleDistributor)...), args...)
	if err := c.run(ctx, []op{{data: code, gas: 3_000_000, out: &addr}}); err != nil {
		return common.Address{}, err
	}
	if err := c.run(ctx, []op{call(c.Token, contracts.TestLPT, "mint", addr, total)}); err != nil {
		return common.Address{}, err
	}
	return addr, nil
}
