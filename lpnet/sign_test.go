package lpnet

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestSigner_Sign(t *testing.T) {
	// The private key 1 has a well-known address.
	key, err := crypto.ToECDSA(common.LeftPadBytes([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	s := NewSigner(key)
	if got, want := s.Address().Hex(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"; got != want {
		t.Fatalf("address = %s, want %s", got, want)
	}
	msg := []byte("segment")
	sig, err := s.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		if len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
			t.Fatalf("sig len %d v %d, want 65 bytes and v 27/28", len(sig), sig[64])
		}
		if !VerifySig(s.Address(), msg, sig) {
			t.Fatal("own signature refused")
		}
	})
	t.Run("OKPersonalMessageOfHash", func(t *testing.T) {
		// The signature is over "\x19Ethereum Signed Message:\n32" + keccak(msg).
		h := crypto.Keccak256(append([]byte("\x19Ethereum Signed Message:\n32"), crypto.Keccak256(msg)...))
		raw := append([]byte{}, sig...)
		raw[64] -= 27
		pub, err := crypto.SigToPub(h, raw)
		if err != nil {
			t.Fatal(err)
		}
		if crypto.PubkeyToAddress(*pub) != s.Address() {
			t.Fatal("signature is not over the personal-message hash of keccak(msg)")
		}
	})
	t.Run("ErrOtherMessage", func(t *testing.T) {
		if VerifySig(s.Address(), []byte("segmenT"), sig) {
			t.Fatal("accepted for another message")
		}
	})
	t.Run("ErrOtherAddress", func(t *testing.T) {
		if VerifySig(common.HexToAddress("0x01"), msg, sig) {
			t.Fatal("accepted for another address")
		}
	})
	t.Run("ErrLength", func(t *testing.T) {
		if VerifySig(s.Address(), msg, sig[:64]) {
			t.Fatal("accepted a 64-byte signature")
		}
	})
	t.Run("ErrVZeroOne", func(t *testing.T) {
		raw := append([]byte{}, sig...)
		raw[64] -= 27
		if VerifySig(s.Address(), msg, raw) {
			t.Fatal("accepted v in {0,1}")
		}
	})
	t.Run("ErrHighS", func(t *testing.T) {
		// (r, n-s, v^1) is the same signature, malleated; go-livepeer refuses it.
		hs := append([]byte{}, sig...)
		sv := new(big.Int).SetBytes(sig[32:64])
		copy(hs[32:64], common.LeftPadBytes(new(big.Int).Sub(crypto.S256().Params().N, sv).Bytes(), 32))
		hs[64] ^= 1 // 27 <-> 28
		if VerifySig(s.Address(), msg, hs) {
			t.Fatal("accepted a high-s signature")
		}
	})
}

func TestSigner_OrchestratorRequest(t *testing.T) {
	s := NewSigner(KeyFromSeed(7))
	req, err := s.OrchestratorRequest()
	if err != nil {
		t.Fatal(err)
	}
	if common.BytesToAddress(req.Address) != s.Address() {
		t.Fatal("request carries another address")
	}
	// go-livepeer signs the checksummed hex string of the address.
	if !VerifySig(s.Address(), []byte(s.Address().Hex()), req.Sig) {
		t.Fatal("sig is not over the EIP-55 address string")
	}
	if VerifySig(s.Address(), []byte(strings.ToLower(s.Address().Hex())), req.Sig) {
		t.Fatal("sig verifies over the lowercase string too")
	}
}

func TestKeyFromSeed(t *testing.T) {
	a, b, c := NewSigner(KeyFromSeed(1)), NewSigner(KeyFromSeed(1)), NewSigner(KeyFromSeed(2))
	if a.Address() != b.Address() {
		t.Fatal("same seed, different keys")
	}
	if a.Address() == c.Address() {
		t.Fatal("different seeds, same key")
	}
}
