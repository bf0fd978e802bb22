package devchain_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/devchain"
)

func TestStart_OK(t *testing.T) {
	ctx := context.Background()
	c, err := devchain.Start(ctx, devchain.Config{Listen: "127.0.0.1:0", Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// Over real HTTP, as other processes see it.
	client, err := ethclient.DialContext(ctx, c.RPC)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	id, err := client.ChainID(ctx)
	if err != nil || id.Cmp(c.ChainID) != 0 {
		t.Fatalf("chain id %v, %v; want %v", id, err, c.ChainID)
	}
	tok := chain.Token{Client: client, Address: c.Token}
	bal, err := tok.BalanceOf(ctx, c.Admin)
	if err != nil {
		t.Fatal(err)
	}
	want := new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))
	if bal.Cmp(want) != 0 {
		t.Fatalf("admin LPT %s, want %s", bal, want)
	}
	eth, err := client.BalanceAt(ctx, c.Admin, nil)
	if err != nil || eth.Sign() <= 0 {
		t.Fatalf("admin ETH %v, %v", eth, err)
	}
	key, err := chain.LoadKey(c.Keystore, c.PassphraseFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := chain.KeyAddress(key); got != c.Admin {
		t.Fatalf("keystore holds %s, want %s", got.Hex(), c.Admin.Hex())
	}
}

func TestStart_BlockTime(t *testing.T) {
	ctx := context.Background()
	c, err := devchain.Start(ctx, devchain.Config{Listen: "127.0.0.1:0", Dir: t.TempDir(), BlockTime: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	first, err := c.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	last, err := c.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last < first+2 {
		t.Fatalf("blocks %d → %d in 2.5 s with a 1 s block time", first, last)
	}
}

func TestStart_ErrInvalid(t *testing.T) {
	for name, cfg := range map[string]devchain.Config{
		"NoDir":         {Listen: "127.0.0.1:0"},
		"BadListen":     {Listen: "nowhere", Dir: t.TempDir()},
		"FractionBlock": {Listen: "127.0.0.1:0", Dir: t.TempDir(), BlockTime: 1500 * time.Millisecond},
	} {
		t.Run(name, func(t *testing.T) {
			if c, err := devchain.Start(context.Background(), cfg); err == nil {
				c.Close()
				t.Fatal("want an error")
			}
		})
	}
}
