package chain_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/registry"
)

func TestRegistry_Orchestrators(t *testing.T) {
	ctx := context.Background()
	orchs, err := registry.Parse(strings.NewReader("address,service_uri,name,payout_address\n" +
		"0x1111111111111111111111111111111111111111,https://a.example:8935,alpha.eth,\n" +
		"0x2222222222222222222222222222222222222222,https://b.example:8935,,0x3333333333333333333333333333333333333333\n" +
		"0x4444444444444444444444444444444444444444,https://c.example:8935,gamma.eth,\n"))
	if err != nil {
		t.Fatal(err)
	}
	orchs[1].Active = false
	c, err := devchain.Start(ctx, devchain.Config{Listen: "127.0.0.1:0", Dir: t.TempDir(), Orchestrators: orchs})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	client, err := chain.Dial(ctx, c.RPC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	// The chain knows no payout addresses.
	want := []podium.Orchestrator{
		{Address: orchs[0].Address, ServiceURI: orchs[0].ServiceURI, Name: "alpha.eth", Active: true},
		{Address: orchs[1].Address, ServiceURI: orchs[1].ServiceURI, Active: false},
		{Address: orchs[2].Address, ServiceURI: orchs[2].ServiceURI, Name: "gamma.eth", Active: true},
	}
	ens := chain.ENS{Client: client, Registry: c.ENSRegistry}
	for name, reg := range map[string]*chain.Registry{
		"OK":          {Client: client, Controller: c.Controller, ENS: ens},
		"NoMulticall": {Client: client, Controller: c.Controller, Multicall: common.Address{0x42}, ENS: ens},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := reg.Orchestrators(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %+v\nwant %+v", got, want)
			}
		})
	}
	t.Run("NoENS", func(t *testing.T) {
		got, err := (&chain.Registry{Client: client, Controller: c.Controller}).Orchestrators(ctx)
		if err != nil || len(got) != 3 || got[0].Name != "" {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	t.Run("ErrNotController", func(t *testing.T) {
		_, err := (&chain.Registry{Client: client, Controller: c.Token}).Orchestrators(ctx)
		if err == nil || podium.ErrorHint(err) == "" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNoController", func(t *testing.T) {
		// The default is Arbitrum One's Controller, which the dev chain lacks.
		_, err := (&chain.Registry{Client: client}).Orchestrators(ctx)
		if err == nil {
			t.Fatal("want an error")
		}
	})
}
