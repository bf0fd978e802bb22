package payout_test

import (
	"context"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
)

func TestMakePlan_OK(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	d := distribution(7, "plan ok")

	t.Run("Transfer", func(t *testing.T) {
		p, _ := makePlan(t, c, client, d, payout.MethodTransfer, 0)
		if len(p.Steps) != 7 || p.Steps[3].Kind != payout.KindTransfer || p.Total != d.Total || p.ChainID != 1337 {
			t.Fatalf("plan %+v", p)
		}
		if p.Payments[1].To == p.Payments[1].Recipient {
			t.Error("pay_to not used")
		}
		if p.Hash != p.ComputeHash() || !strings.HasPrefix(p.Hash, "sha256:") {
			t.Errorf("hash %s", p.Hash)
		}
	})
	t.Run("Batch", func(t *testing.T) {
		p, _ := makePlan(t, c, client, d, payout.MethodBatch, 3)
		// approve + ceil(7/3) batches
		if len(p.Steps) != 4 || p.Steps[0].Kind != payout.KindApprove || len(p.Steps[3].Payments) != 1 {
			t.Fatalf("steps %+v", p.Steps)
		}
	})
	t.Run("Deterministic", func(t *testing.T) {
		p1, _ := makePlan(t, c, client, d, payout.MethodBatch, 0)
		p2, _ := makePlan(t, c, client, d, payout.MethodBatch, 0)
		if p1.FromBlock == p2.FromBlock && p1.Hash != p2.Hash {
			t.Error("same inputs, different hashes")
		}
	})
}

func TestMakePlan_Err(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	ctx := context.Background()
	base := func() payout.Request {
		return payout.Request{Distribution: marshal(t, distribution(3, "plan err")), Token: c.Token, Sender: c.Admin,
			Method: payout.MethodTransfer, Batch: c.Batch}
	}
	poor := common.BytesToAddress(crypto.Keccak256([]byte("poor sender")))
	if err := c.Fund(ctx, poor, nil, lpt(5)); err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		edit  func(*payout.Request)
		field string
		code  string
	}{
		"ErrBudget":   {func(r *payout.Request) { r.Budget = lpt(200) }, "budget", podium.EINVALID},
		"ErrBalance":  {func(r *payout.Request) { r.Sender = poor }, "", podium.EINVALID},
		"ErrChainID":  {func(r *payout.Request) { r.ChainID = big.NewInt(42161) }, "chain-id", podium.EINVALID},
		"ErrMethod":   {func(r *payout.Request) { r.Method = "airdrop" }, "method", podium.EINVALID},
		"ErrNoBatch":  {func(r *payout.Request) { r.Method, r.Batch = payout.MethodBatch, common.Address{1} }, "batch", podium.EINVALID},
		"ErrNotToken": {func(r *payout.Request) { r.Token = c.Batch }, "token", podium.EINVALID},
		"ErrZeroAddress": {func(r *payout.Request) {
			d := distribution(3, "plan err")
			d.Recipients[0].Address = "0x0000000000000000000000000000000000000000"
			r.Distribution = marshal(t, d)
		}, "recipients[0].address", podium.EINVALID},
		"ErrBadAddress": {func(r *payout.Request) {
			d := distribution(3, "plan err")
			d.Recipients[1].Address = "0x12345"
			r.Distribution = marshal(t, d)
		}, "recipients[1].address", podium.EINVALID},
		"ErrNotJSON": {func(r *payout.Request) { r.Distribution = []byte("address,amount\n") }, "distribution", podium.EINVALID},
		"ErrDecimals": {func(r *payout.Request) {
			r.Distribution = []byte(strings.Replace(string(r.Distribution), `"decimals": 18`, `"decimals": 6`, 1))
		}, "token", podium.EINVALID},
		"ErrAmount": {func(r *payout.Request) {
			d := distribution(3, "plan err")
			d.Recipients[0].Amount = "-5"
			r.Distribution = marshal(t, d)
		}, "recipients[0].amount", podium.EINVALID},
		"ErrTotal": {func(r *payout.Request) {
			d := distribution(3, "plan err")
			d.Total = "1"
			r.Distribution = marshal(t, d)
		}, "total", podium.EINVALID},
		"ErrPayTo": {func(r *payout.Request) {
			d := distribution(3, "plan err")
			d.Recipients[2].PayTo = "0x0000000000000000000000000000000000000000"
			r.Distribution = marshal(t, d)
		}, "recipients[2].pay_to", podium.EINVALID},
	} {
		t.Run(name, func(t *testing.T) {
			req := base()
			tt.edit(&req)
			_, err := payout.MakePlan(ctx, client, req)
			if err == nil {
				t.Fatal("want an error")
			}
			if podium.ErrorCode(err) != tt.code || tt.field != "" && podium.ErrorField(err) != tt.field {
				t.Fatalf("error %v (code %s field %s), want code %s field %s", err, podium.ErrorCode(err), podium.ErrorField(err), tt.code, tt.field)
			}
		})
	}
}

func TestLoadPlan_ErrChanged(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	p, path := makePlan(t, c, client, distribution(3, "changed"), payout.MethodTransfer, 0)

	t.Run("OK", func(t *testing.T) {
		if _, err := payout.LoadPlan(path, p.Hash); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrReviewed", func(t *testing.T) {
		_, err := payout.LoadPlan(path, "sha256:0000")
		if podium.ErrorCode(err) != podium.ECONFLICT {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrEdited", func(t *testing.T) {
		b, _ := os.ReadFile(path)
		edited := filepath.Join(t.TempDir(), "plan.json")
		writeFile(t, edited, []byte(strings.Replace(string(b), p.Payments[0].To, p.Payments[2].To, 1)))
		_, err := payout.LoadPlan(edited, "")
		if podium.ErrorCode(err) != podium.ECONFLICT || !strings.Contains(err.Error(), "changed") {
			t.Fatalf("got %v", err)
		}
	})
}
