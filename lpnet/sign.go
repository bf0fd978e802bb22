package lpnet

import (
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// secp256k1HalfN is half the curve order: go-livepeer refuses signatures
// whose s value is above it (malleable signatures).
var secp256k1HalfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// Signer signs protocol messages with an Ethereum key as go-livepeer's nodes
// do: the 65-byte [R || S || V] signature, V being 27 or 28, of the EIP-191
// personal-message hash of Keccak-256(msg).
type Signer struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

// NewSigner returns a Signer for key.
func NewSigner(key *ecdsa.PrivateKey) *Signer {
	return &Signer{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
}

// Address returns the signer's Ethereum address.
func (s *Signer) Address() common.Address { return s.addr }

// Sign signs msg.
func (s *Signer) Sign(msg []byte) ([]byte, error) {
	sig, err := crypto.Sign(accounts.TextHash(crypto.Keccak256(msg)), s.key)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sig[64] += 27
	return sig, nil
}

// OrchestratorRequest returns the signed request a sender passes to
// GetOrchestrator: its address and its signature over the EIP-55 hex form of
// that address.
func (s *Signer) OrchestratorRequest() (*OrchestratorRequest, error) {
	sig, err := s.Sign([]byte(s.addr.Hex()))
	if err != nil {
		return nil, err
	}
	return &OrchestratorRequest{Address: s.addr.Bytes(), Sig: sig}, nil
}

// VerifySig reports whether sig is addr's signature over msg, made as Signer
// makes it. Like go-livepeer it refuses a wrong length, a high s value and a
// V other than 27 or 28.
func VerifySig(addr common.Address, msg, sig []byte) bool {
	got, err := RecoverSigner(msg, sig)
	return err == nil && got == addr
}

// RecoverSigner returns the address whose key made sig over msg, as Signer
// signs. It refuses what VerifySig refuses, saying why.
func RecoverSigner(msg, sig []byte) (common.Address, error) {
	if len(sig) != 65 {
		return common.Address{}, fmt.Errorf("signature is %d bytes, want 65", len(sig))
	}
	if new(big.Int).SetBytes(sig[32:64]).Cmp(secp256k1HalfN) > 0 {
		return common.Address{}, errors.New("signature has a high s value (malleable)")
	}
	if sig[64] != 27 && sig[64] != 28 {
		return common.Address{}, fmt.Errorf("signature has v = %d, want 27 or 28", sig[64])
	}
	raw := make([]byte, 65)
	copy(raw, sig)
	raw[64] -= 27
	pub, err := crypto.SigToPub(accounts.TextHash(crypto.Keccak256(msg)), raw)
	if err != nil {
		return common.Address{}, fmt.Errorf("recover signer: %w", err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// KeyFromSeed derives a private key from seed, so that a node started with
// the same seed always has the same address. For tests and demos only.
func KeyFromSeed(seed int64) *ecdsa.PrivateKey {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(seed))
	for i := uint64(0); ; i++ {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], i)
		key, err := crypto.ToECDSA(crypto.Keccak256([]byte("podium node key"), b[:], n[:]))
		if err == nil {
			return key
		}
	}
}

// LoadKey reads a hex-encoded secp256k1 private key (64 hex digits, an
// optional 0x prefix and surrounding whitespace allowed) from path.
func LoadKey(path string) (*ecdsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key: %w", err)
	}
	s := strings.TrimPrefix(strings.TrimSpace(string(b)), "0x")
	if s == "" {
		return nil, errors.New("read key: file is empty; write a hex private key into it")
	}
	key, err := crypto.HexToECDSA(s)
	if err != nil {
		return nil, fmt.Errorf("read key %s: want 64 hex digits: %w", path, err)
	}
	return key, nil
}
