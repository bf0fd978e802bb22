package payout

import (
	"bytes"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// MerkleDistribution is the merkle-distributor JSON of Uniswap's
// merkle-distributor: the root, the total and, per claimant, its index,
// amount (hex) and proof.
type MerkleDistribution struct {
	MerkleRoot string           `json:"merkleRoot"`
	TokenTotal string           `json:"tokenTotal"`
	Claims     map[string]Claim `json:"claims"`
}

// Claim is one claimant's entry.
type Claim struct {
	Index  uint64   `json:"index"`
	Amount string   `json:"amount"`
	Proof  []string `json:"proof"`
}

// MerkleLeaf is keccak256(abi.encodePacked(uint256 index, address account,
// uint256 amount)), the leaf MerkleDistributor.claim checks.
func MerkleLeaf(index uint64, account common.Address, amount *big.Int) common.Hash {
	return crypto.Keccak256Hash(
		common.LeftPadBytes(new(big.Int).SetUint64(index).Bytes(), 32),
		account.Bytes(),
		common.LeftPadBytes(amount.Bytes(), 32))
}

// Merkle builds the claims of a plan: one per paid address (amounts to the
// same address are summed), indexed in address order.
func Merkle(p *Plan) (*MerkleDistribution, error) {
	if err := p.validated(); err != nil {
		return nil, err
	}
	sums := map[common.Address]*big.Int{}
	var addrs []common.Address
	for i, pay := range p.Payments {
		a := common.HexToAddress(pay.To)
		if sums[a] == nil {
			sums[a] = new(big.Int)
			addrs = append(addrs, a)
		}
		sums[a].Add(sums[a], p.Amount(i))
	}
	sort.Slice(addrs, func(i, j int) bool { return bytes.Compare(addrs[i][:], addrs[j][:]) < 0 })
	leaves := make([]common.Hash, len(addrs))
	for i, a := range addrs {
		leaves[i] = MerkleLeaf(uint64(i), a, sums[a])
	}
	tree := newMerkleTree(leaves)
	out := &MerkleDistribution{
		MerkleRoot: tree.root().Hex(),
		TokenTotal: "0x" + p.TotalInt().Text(16),
		Claims:     map[string]Claim{},
	}
	for i, a := range addrs {
		proof := tree.proof(leaves[i])
		c := Claim{Index: uint64(i), Amount: "0x" + sums[a].Text(16), Proof: make([]string, len(proof))}
		for k, h := range proof {
			c.Proof[k] = h.Hex()
		}
		out.Claims[a.Hex()] = c
	}
	if !VerifyProof(leaves[0], tree.proof(leaves[0]), tree.root()) {
		return nil, fmt.Errorf("merkle tree does not verify") // a bug
	}
	return out, nil
}

// VerifyProof checks a proof as MerkleDistributor does: hash each pair in
// ascending order up to the root.
func VerifyProof(leaf common.Hash, proof []common.Hash, root common.Hash) bool {
	node := leaf
	for _, p := range proof {
		node = hashPair(node, p)
	}
	return node == root
}

func hashPair(a, b common.Hash) common.Hash {
	if bytes.Compare(a[:], b[:]) > 0 {
		a, b = b, a
	}
	return crypto.Keccak256Hash(a[:], b[:])
}

// merkleTree is Uniswap's MerkleTree: leaves sorted, each layer pairs
// neighbours, an odd last node moves up unchanged.
type merkleTree struct{ layers [][]common.Hash }

func newMerkleTree(leaves []common.Hash) *merkleTree {
	layer := append([]common.Hash{}, leaves...)
	sort.Slice(layer, func(i, j int) bool { return bytes.Compare(layer[i][:], layer[j][:]) < 0 })
	t := &merkleTree{layers: [][]common.Hash{layer}}
	for len(layer) > 1 {
		var next []common.Hash
		for i := 0; i < len(layer); i += 2 {
			if i+1 < len(layer) {
				next = append(next, hashPair(layer[i], layer[i+1]))
			} else {
				next = append(next, layer[i])
			}
		}
		t.layers = append(t.layers, next)
		layer = next
	}
	return t
}

func (t *merkleTree) root() common.Hash { return t.layers[len(t.layers)-1][0] }

func (t *merkleTree) proof(leaf common.Hash) []common.Hash {
	idx := sort.Search(len(t.layers[0]), func(i int) bool { return bytes.Compare(t.layers[0][i][:], leaf[:]) >= 0 })
	var proof []common.Hash
	for _, layer := range t.layers[:len(t.layers)-1] {
		if pair := idx ^ 1; pair < len(layer) {
			proof = append(proof, layer[pair])
		}
		idx /= 2
	}
	return proof
}
