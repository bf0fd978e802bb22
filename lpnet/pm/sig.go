package pm

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Signer is a sender's key. SignText signs as go-livepeer's account manager
// and the TicketBroker's ECDSA.toEthSignedMessageHash expect: the 65-byte
// [R || S || V] signature, V 27 or 28, of the EIP-191 personal-message hash
// of msg itself.
type Signer interface {
	Address() common.Address
	SignText(msg []byte) ([]byte, error)
}

// KeySigner is a Signer holding its private key.
type KeySigner struct{ Key *ecdsa.PrivateKey }

// Address is the key's Ethereum address.
func (k KeySigner) Address() common.Address { return crypto.PubkeyToAddress(k.Key.PublicKey) }

// SignText implements Signer.
func (k KeySigner) SignText(msg []byte) ([]byte, error) { return SignText(k.Key, msg) }

// SignText returns key's personal-message signature over msg.
func SignText(key *ecdsa.PrivateKey, msg []byte) ([]byte, error) {
	sig, err := crypto.Sign(accounts.TextHash(msg), key)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sig[64] += 27
	return sig, nil
}

var secp256k1HalfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// VerifySig reports whether sig is addr's personal-message signature over
// msg. Like go-livepeer it refuses a length other than 65, a high s value
// (a malleated signature) and a V other than 27 or 28.
func VerifySig(addr common.Address, msg, sig []byte) bool {
	if len(sig) != 65 || sig[64] != 27 && sig[64] != 28 {
		return false
	}
	if new(big.Int).SetBytes(sig[32:64]).Cmp(secp256k1HalfN) > 0 {
		return false
	}
	raw := append([]byte(nil), sig...)
	raw[64] -= 27
	pub, err := crypto.SigToPub(accounts.TextHash(msg), raw)
	return err == nil && crypto.PubkeyToAddress(*pub) == addr
}
