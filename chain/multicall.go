package chain

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium/chain/contracts"
)

// multicallChunk is how many calls go into one aggregate3 eth_call.
const multicallChunk = 200

// Call is one read of a batch: its target and input, then its result.
type Call struct {
	Target   common.Address
	contract string
	method   string
	data     []byte

	ok  bool
	ret []byte
}

// NewCall prepares a view call of the named contract's method.
func NewCall(target common.Address, contract, method string, args ...any) Call {
	data, err := contracts.ABI(contract).Pack(method, args...)
	if err != nil {
		panic(fmt.Sprintf("chain: pack %s.%s: %v", contract, method, err)) // a bug in the caller
	}
	return Call{Target: target, contract: contract, method: method, data: data}
}

// Unpack decodes the call's result into outs.
func (c Call) Unpack(outs ...any) error {
	if !c.ok {
		return fmt.Errorf("%s at %s failed", c.method, c.Target.Hex())
	}
	return unpack(c.contract, c.method, c.ret, outs)
}

// Multicall runs batches of calls through Multicall3's aggregate3, or one by
// one when no Multicall3 is deployed at Address.
type Multicall struct {
	Client  *ethclient.Client
	Address common.Address
}

// multicall3Call mirrors Multicall3.Call3 for ABI packing.
type multicall3Call struct {
	Target       common.Address
	AllowFailure bool
	CallData     []byte
}

// Do runs calls and stores each result in place.
func (m Multicall) Do(ctx context.Context, calls []Call) error {
	code, err := m.Client.CodeAt(ctx, m.Address, nil)
	if err != nil {
		return fmt.Errorf("multicall code: %w", err)
	}
	if len(code) == 0 {
		return m.single(ctx, calls)
	}
	a := contracts.ABI(contracts.Multicall3)
	for start := 0; start < len(calls); start += multicallChunk {
		chunk := calls[start:min(start+multicallChunk, len(calls))]
		in := make([]multicall3Call, len(chunk))
		for i, c := range chunk {
			in[i] = multicall3Call{Target: c.Target, AllowFailure: true, CallData: c.data}
		}
		data, err := a.Pack("aggregate3", in)
		if err != nil {
			return fmt.Errorf("pack aggregate3: %w", err)
		}
		ret, err := m.Client.CallContract(ctx, ethereum.CallMsg{To: &m.Address, Data: data}, nil)
		if err != nil {
			return fmt.Errorf("aggregate3: %w", err)
		}
		var out []struct {
			Success    bool
			ReturnData []byte
		}
		if err := a.UnpackIntoInterface(&out, "aggregate3", ret); err != nil {
			return fmt.Errorf("unpack aggregate3: %w", err)
		}
		if len(out) != len(chunk) {
			return fmt.Errorf("aggregate3: %d results for %d calls", len(out), len(chunk))
		}
		for i := range chunk {
			chunk[i].ok, chunk[i].ret = out[i].Success, out[i].ReturnData
		}
	}
	return nil
}

func (m Multicall) single(ctx context.Context, calls []Call) error {
	for i := range calls {
		c := &calls[i]
		ret, err := m.Client.CallContract(ctx, ethereum.CallMsg{To: &c.Target, Data: c.data}, nil)
		if err != nil {
			return fmt.Errorf("call %s at %s: %w", c.method, c.Target.Hex(), err)
		}
		c.ok, c.ret = true, ret
	}
	return nil
}
