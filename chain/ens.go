package chain

import (
	"context"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium/chain/contracts"
)

// ENSRegistryAddress is the ENS registry on Ethereum mainnet.
var ENSRegistryAddress = common.HexToAddress("0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e")

// NameHash is ENS's namehash of a dot-separated name.
func NameHash(name string) common.Hash {
	var node common.Hash
	if name == "" {
		return node
	}
	labels := strings.Split(name, ".")
	for i := len(labels) - 1; i >= 0; i-- {
		node = crypto.Keccak256Hash(node.Bytes(), crypto.Keccak256([]byte(labels[i])))
	}
	return node
}

// ReverseNode is the ENS node of addr's reverse record,
// namehash("<hex address without 0x>.addr.reverse").
func ReverseNode(addr common.Address) common.Hash {
	return NameHash(strings.ToLower(addr.Hex()[2:]) + ".addr.reverse")
}

// ENS reads reverse names from an ENS registry.
type ENS struct {
	Client   *ethclient.Client
	Registry common.Address
}

// Name returns addr's reverse name, "" when it has none.
func (e ENS) Name(ctx context.Context, addr common.Address) (string, error) {
	node := ReverseNode(addr)
	var resolver common.Address
	if err := callView(ctx, e.Client, e.Registry, contracts.ENSRegistry, "resolver", []any{&resolver}, node); err != nil {
		return "", fmt.Errorf("ens resolver of %s: %w", addr.Hex(), err)
	}
	if resolver == (common.Address{}) {
		return "", nil
	}
	var name string
	if err := callView(ctx, e.Client, resolver, contracts.NameResolver, "name", []any{&name}, node); err != nil {
		return "", fmt.Errorf("ens name of %s: %w", addr.Hex(), err)
	}
	return name, nil
}
