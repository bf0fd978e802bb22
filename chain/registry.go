package chain

import (
	"context"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/contracts"
)

// Arbitrum One defaults: Livepeer's Controller (go-livepeer's
// "arbitrum-one-mainnet" network) and Multicall3 at its address on every chain.
var (
	ArbitrumOneController = common.HexToAddress("0xD8E8328501E9645d16Cf49539efC04f734606ee4")
	Multicall3Address     = common.HexToAddress("0xcA11bde05977b3631167028862bE2a173976CA11")
)

// maxPool bounds the pool walk, so a corrupt linked list cannot loop forever
// (Livepeer's pool holds at most 100).
const maxPool = 10_000

// Registry reads the orchestrators registered on a Livepeer deployment. It
// implements podium.Registry.
type Registry struct {
	Client *ethclient.Client
	// Controller resolves the other contracts; zero means ArbitrumOneController.
	Controller common.Address
	// Multicall batches the per-orchestrator reads; zero means
	// Multicall3Address. Without code there, reads are made one by one.
	Multicall common.Address
	// ENS, when its Client is set, adds reverse names (usually from L1).
	ENS ENS
}

var _ podium.Registry = (*Registry)(nil)

// Orchestrators walks the BondingManager pool from first to last and reads
// each orchestrator's service URI, active flag and (with ENS) name.
func (r *Registry) Orchestrators(ctx context.Context) ([]podium.Orchestrator, error) {
	controller := r.Controller
	if controller == (common.Address{}) {
		controller = ArbitrumOneController
	}
	bm, err := r.resolve(ctx, controller, "BondingManager")
	if err != nil {
		return nil, err
	}
	sr, err := r.resolve(ctx, controller, "ServiceRegistry")
	if err != nil {
		return nil, err
	}
	addrs, err := r.pool(ctx, bm)
	if err != nil {
		return nil, err
	}
	var calls []Call
	for _, a := range addrs {
		calls = append(calls,
			NewCall(sr, contracts.ServiceRegistry, "getServiceURI", a),
			NewCall(bm, contracts.BondingManager, "isActiveTranscoder", a))
	}
	mc := Multicall{Client: r.Client, Address: r.Multicall}
	if mc.Address == (common.Address{}) {
		mc.Address = Multicall3Address
	}
	if err := mc.Do(ctx, calls); err != nil {
		return nil, err
	}
	out := make([]podium.Orchestrator, len(addrs))
	for i, a := range addrs {
		o := podium.Orchestrator{Address: strings.ToLower(a.Hex())}
		if err := calls[2*i].Unpack(&o.ServiceURI); err != nil {
			return nil, fmt.Errorf("orchestrator %s: %w", o.Address, err)
		}
		if err := calls[2*i+1].Unpack(&o.Active); err != nil {
			return nil, fmt.Errorf("orchestrator %s: %w", o.Address, err)
		}
		if r.ENS.Client != nil {
			if o.Name, err = r.ENS.Name(ctx, a); err != nil {
				return nil, err
			}
		}
		out[i] = o
	}
	return out, nil
}

// resolve asks the Controller for a contract's address by name.
func (r *Registry) resolve(ctx context.Context, controller common.Address, name string) (common.Address, error) {
	var addr common.Address
	id := crypto.Keccak256Hash([]byte(name))
	if err := callView(ctx, r.Client, controller, contracts.Controller, "getContract", []any{&addr}, id); err != nil {
		return addr, podium.Errorf(podium.EUNAVAILABLE, "controller %s: get %s", controller.Hex(), name).
			WithHint("check --rpc and --controller: the Controller must be deployed on that chain")
	}
	if addr == (common.Address{}) {
		return addr, podium.Errorf(podium.ENOTFOUND, "controller %s has no %s", controller.Hex(), name).
			WithHint("is --controller a Livepeer Controller on the chain of --rpc?")
	}
	return addr, nil
}

// pool walks the transcoder pool's linked list.
func (r *Registry) pool(ctx context.Context, bm common.Address) ([]common.Address, error) {
	var cur common.Address
	if err := callView(ctx, r.Client, bm, contracts.BondingManager, "getFirstTranscoderInPool", []any{&cur}); err != nil {
		return nil, podium.Errorf(podium.EUNAVAILABLE, "read transcoder pool").WithHint("retry; the RPC failed")
	}
	var out []common.Address
	seen := map[common.Address]bool{}
	for cur != (common.Address{}) {
		if seen[cur] || len(out) >= maxPool {
			return nil, podium.Errorf(podium.EINTERNAL, "transcoder pool loops at %s", cur.Hex())
		}
		seen[cur] = true
		out = append(out, cur)
		var next common.Address
		if err := callView(ctx, r.Client, bm, contracts.BondingManager, "getNextTranscoderInPool", []any{&next}, cur); err != nil {
			return nil, fmt.Errorf("read transcoder pool after %s: %w", cur.Hex(), err)
		}
		cur = next
	}
	return out, nil
}
