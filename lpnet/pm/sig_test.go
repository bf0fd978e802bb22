package pm

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func testKey(t *testing.T, n byte) KeySigner {
	t.Helper()
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("pm test key"), []byte{n}))
	if err != nil {
		t.Fatal(err)
	}
	return KeySigner{key}
}

// TestSignText checks the signature against an independent computation of
// the EIP-191 hash ("\x19Ethereum Signed Message:\n32" || hash) and
// recovery of the signer, as the TicketBroker's ECDSA.recover does.
func TestSignText(t *testing.T) {
	k := testKey(t, 1)
	hash := crypto.Keccak256([]byte("a ticket"))
	sig, err := k.SignText(hash)
	if err != nil {
		t.Fatal(err)
	}
	if len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		t.Fatalf("sig = %x, want 65 bytes with V 27 or 28", sig)
	}
	digest := crypto.Keccak256(append([]byte("\x19Ethereum Signed Message:\n32"), hash...))
	raw := append([]byte(nil), sig...)
	raw[64] -= 27
	pub, err := crypto.Ecrecover(digest, raw)
	if err != nil {
		t.Fatal(err)
	}
	if common.BytesToAddress(crypto.Keccak256(pub[1:])[12:]) != k.Address() {
		t.Fatal("recovered signer differs")
	}
	if !VerifySig(k.Address(), hash, sig) {
		t.Fatal("VerifySig refused a good signature")
	}
}

func TestVerifySig_Err(t *testing.T) {
	k := testKey(t, 1)
	msg := crypto.Keccak256([]byte("a ticket"))
	sig, _ := k.SignText(msg)
	// The same signature with s flipped to N−s is valid ECDSA but
	// malleable; go-livepeer refuses it.
	high := append([]byte(nil), sig...)
	s := new(big.Int).Sub(crypto.S256().Params().N, new(big.Int).SetBytes(sig[32:64]))
	copy(high[32:64], common.LeftPadBytes(s.Bytes(), 32))
	high[64] ^= 1 // 27 <-> 28
	v01 := append([]byte(nil), sig...)
	v01[64] -= 27
	for name, tc := range map[string]struct {
		addr common.Address
		msg  []byte
		sig  []byte
	}{
		"OtherSigner":  {testKey(t, 2).Address(), msg, sig},
		"OtherMessage": {k.Address(), bytes.Repeat([]byte{1}, 32), sig},
		"Short":        {k.Address(), msg, sig[:64]},
		"HighS":        {k.Address(), msg, high},
		"V01":          {k.Address(), msg, v01},
	} {
		if VerifySig(tc.addr, tc.msg, tc.sig) {
			t.Errorf("%s: accepted", name)
		}
	}
}
