package payout_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/contracts"
)

// BatchPay pays every recipient or nobody, keeps nothing, and never spends
// tokens someone sent it directly.
func TestBatchPay_DisperseToken(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	key, _ := chain.LoadKey(c.Keystore, c.PassphraseFile)
	tok, batch := contracts.ABI(contracts.TestLPT), contracts.ABI(contracts.BatchPay)
	sendTransfer(t, client, c.ChainID, key, c.Token, c.Batch, big.NewInt(7)) // stuck there
	approve, _ := tok.Pack("approve", c.Batch, big.NewInt(1000))
	if st := sendCall(t, client, c.ChainID, key, c.Token, approve); st != types.ReceiptStatusSuccessful {
		t.Fatal("approve failed")
	}
	a, b := common.Address{0xa1}, common.Address{0xb2}
	for _, tt := range []struct {
		name   string
		to     []common.Address
		values []*big.Int
		status uint64
	}{
		{"ErrZeroRecipient", []common.Address{a, {}}, []*big.Int{big.NewInt(1), big.NewInt(2)}, types.ReceiptStatusFailed},
		{"ErrOverAllowance", []common.Address{a, b}, []*big.Int{big.NewInt(1), big.NewInt(5000)}, types.ReceiptStatusFailed},
		{"ErrLength", []common.Address{a, b}, []*big.Int{big.NewInt(1)}, types.ReceiptStatusFailed},
		{"ErrOverflow", []common.Address{a, b}, []*big.Int{big.NewInt(1), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))}, types.ReceiptStatusFailed},
		{"OK", []common.Address{a, b}, []*big.Int{big.NewInt(10), big.NewInt(20)}, types.ReceiptStatusSuccessful},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, _ := batch.Pack("disperseToken", c.Token, tt.to, tt.values)
			if st := sendCall(t, client, c.ChainID, key, c.Batch, data); st != tt.status {
				t.Fatalf("status %d, want %d", st, tt.status)
			}
		})
	}
	for addr, want := range map[common.Address]int64{a: 10, b: 20, c.Batch: 7} {
		if got, _ := (chain.Token{Client: client, Address: c.Token}).BalanceOf(context.Background(), addr); got.Int64() != want {
			t.Errorf("%s holds %s, want %d (failed batches must pay nobody)", addr.Hex(), got, want)
		}
	}
}
