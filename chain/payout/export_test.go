package payout_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/contracts"
	"github.com/podiumhq/podium/chain/payout"
)

// The merkle export is claimable on-chain: every claim with its proof pays
// once, a second claim and a forged amount revert.
func TestExport_MerkleClaim(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	ctx := context.Background()
	p, _ := makePlan(t, c, client, distribution(5, "merkle"), payout.MethodTransfer, 0)
	var buf bytes.Buffer
	if err := payout.Export(&buf, p, payout.FormatMerkle, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	var m payout.MerkleDistribution
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Claims) != 5 {
		t.Fatalf("%d claims", len(m.Claims))
	}
	dist, err := c.DeployMerkleDistributor(ctx, common.HexToHash(m.MerkleRoot), p.TotalInt())
	if err != nil {
		t.Fatal(err)
	}
	key, _ := chain.LoadKey(c.Keystore, c.PassphraseFile)
	claim := func(addr string, cl payout.Claim, amount *big.Int) uint64 {
		t.Helper()
		var proof [][32]byte
		for _, h := range cl.Proof {
			proof = append(proof, common.HexToHash(h))
		}
		data, err := contracts.ABI(contracts.MerkleDistributor).Pack("claim", new(big.Int).SetUint64(cl.Index), common.HexToAddress(addr), amount, proof)
		if err != nil {
			t.Fatal(err)
		}
		return sendCall(t, client, c.ChainID, key, dist, data)
	}
	for addr, cl := range m.Claims {
		amt, _ := new(big.Int).SetString(strings.TrimPrefix(cl.Amount, "0x"), 16)
		if st := claim(addr, cl, new(big.Int).Add(amt, big.NewInt(1))); st != types.ReceiptStatusFailed {
			t.Fatalf("a claim of a forged amount succeeded")
		}
		if st := claim(addr, cl, amt); st != types.ReceiptStatusSuccessful {
			t.Fatalf("claim %d failed", cl.Index)
		}
		if st := claim(addr, cl, amt); st != types.ReceiptStatusFailed {
			t.Fatalf("claim %d paid twice", cl.Index)
		}
	}
	checkBalances(t, c, client, p)
	if left := balance(t, c, client, dist); left.Sign() != 0 {
		t.Fatalf("distributor keeps %s", left)
	}
}

func TestExport_OK(t *testing.T) {
	p := &payout.Plan{Program: "p", Round: 1, ChainID: 42161, Token: "0x289ba1701c2f088cf0faf8b3705246331cb8a839",
		Sender: "0x00000000000000000000000000000000000000aa", Total: "30", Hash: "sha256:x",
		Payments: []payout.Payment{
			{Index: 0, Recipient: "0x0000000000000000000000000000000000000001", To: "0x0000000000000000000000000000000000000001", Amount: "10"},
			{Index: 1, Recipient: "0x0000000000000000000000000000000000000002", To: "0x0000000000000000000000000000000000000003", Amount: "20"},
		}}
	t.Run("Safe", func(t *testing.T) {
		var buf bytes.Buffer
		if err := payout.Export(&buf, p, payout.FormatSafe, time.UnixMilli(1700000000000)); err != nil {
			t.Fatal(err)
		}
		var f payout.SafeBatchFile
		if err := json.Unmarshal(buf.Bytes(), &f); err != nil {
			t.Fatal(err)
		}
		if f.ChainID != "42161" || len(f.Transactions) != 2 || f.Transactions[1].ContractInputsValues["to"] != "0x0000000000000000000000000000000000000003" ||
			f.Transactions[1].ContractInputsValues["value"] != "20" || f.Transactions[0].ContractMethod.Name != "transfer" {
			t.Fatalf("batch %s", buf.Bytes())
		}
	})
	t.Run("CSV", func(t *testing.T) {
		var buf bytes.Buffer
		if err := payout.Export(&buf, p, payout.FormatCSV, time.Time{}); err != nil {
			t.Fatal(err)
		}
		want := "index,recipient,pay_to,amount\n0,0x0000000000000000000000000000000000000001,0x0000000000000000000000000000000000000001,10\n1,0x0000000000000000000000000000000000000002,0x0000000000000000000000000000000000000003,20\n"
		if buf.String() != want {
			t.Fatalf("got\n%s", buf.String())
		}
	})
	t.Run("ErrFormat", func(t *testing.T) {
		if err := payout.Export(&bytes.Buffer{}, p, "xlsx", time.Time{}); podium.ErrorField(err) != "format" {
			t.Fatalf("got %v", err)
		}
	})
}
