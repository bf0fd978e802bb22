package chain

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"

	"github.com/podiumhq/podium"
)

// EncryptKey returns key as an encrypted keystore (Web3 Secret Storage) JSON.
// It uses scrypt's light parameters: the dev chain's keys guard test funds.
func EncryptKey(key *ecdsa.PrivateKey, passphrase string, rnd io.Reader) ([]byte, error) {
	id, err := uuid.NewRandomFromReader(rnd)
	if err != nil {
		return nil, fmt.Errorf("key id: %w", err)
	}
	k := &keystore.Key{Id: id, Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}
	blob, err := keystore.EncryptKey(k, passphrase, keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		return nil, fmt.Errorf("encrypt key: %w", err)
	}
	return blob, nil
}

// KeystoreAddress reads the account address of a keystore file without
// decrypting it.
func KeystoreAddress(path string) (common.Address, error) {
	blob, err := os.ReadFile(path)
	if err != nil {
		return common.Address{}, podium.FieldError("keystore", "%v", err)
	}
	var v struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(blob, &v); err != nil || !common.IsHexAddress(v.Address) {
		return common.Address{}, podium.FieldError("keystore", "%s is not a keystore file with an address", path)
	}
	return common.HexToAddress(v.Address), nil
}

// LoadKey decrypts the keystore at path with the passphrase in passFile (its
// first line). Errors never contain the passphrase or the key.
func LoadKey(path, passFile string) (*ecdsa.PrivateKey, error) {
	blob, err := os.ReadFile(path)
	if err != nil {
		return nil, podium.FieldError("keystore", "%v", err)
	}
	pass, err := os.ReadFile(passFile)
	if err != nil {
		return nil, podium.FieldError("passphrase-file", "%v", err)
	}
	passphrase := strings.TrimRight(strings.SplitN(string(pass), "\n", 2)[0], "\r")
	k, err := keystore.DecryptKey(blob, passphrase)
	if err != nil {
		return nil, podium.FieldError("keystore", "cannot decrypt %s: %v", path, err).
			WithHint("check that --passphrase-file holds this keystore's passphrase")
	}
	return k.PrivateKey, nil
}

// KeyAddress returns the address of key.
func KeyAddress(key *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(key.PublicKey) }
