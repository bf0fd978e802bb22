package chain_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
)

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(crypto.S256(), rand.Reader)
	blob, err := chain.EncryptKey(key, "correct horse", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ks := filepath.Join(dir, "k.json")
	os.WriteFile(ks, blob, 0o600)
	good := filepath.Join(dir, "good")
	os.WriteFile(good, []byte("correct horse\n"), 0o600)
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("battery staple\n"), 0o600)

	t.Run("OK", func(t *testing.T) {
		k, err := chain.LoadKey(ks, good)
		if err != nil || chain.KeyAddress(k) != chain.KeyAddress(key) {
			t.Fatalf("%v", err)
		}
		if a, err := chain.KeystoreAddress(ks); err != nil || a != chain.KeyAddress(key) {
			t.Fatalf("address %s, %v", a.Hex(), err)
		}
	})
	t.Run("ErrPassphrase", func(t *testing.T) {
		_, err := chain.LoadKey(ks, bad)
		if podium.ErrorField(err) != "keystore" || strings.Contains(err.Error(), "battery") || podium.ErrorHint(err) == "" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNoFile", func(t *testing.T) {
		if _, err := chain.LoadKey(ks, filepath.Join(dir, "none")); podium.ErrorField(err) != "passphrase-file" {
			t.Fatalf("got %v", err)
		}
	})
}
