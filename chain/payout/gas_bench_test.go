package payout_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
)

// BenchmarkPayoutGas measures the gas a payout uses per recipient, plain
// transfers against batches (approve included), on the dev chain: to fresh
// addresses (each payment creates a token balance: 22,100 gas that no method
// avoids) and to addresses that already hold some (a second round). Run:
//
//	go test -run '^$' -bench PayoutGas -benchtime 1x ./chain/payout/
func BenchmarkPayoutGas(b *testing.B) {
	for _, holders := range []bool{false, true} {
		for _, n := range []int{10, 100, 500} {
			for _, method := range []string{payout.MethodTransfer, payout.MethodBatch} {
				name := fmt.Sprintf("fresh/%s/%d", method, n)
				if holders {
					name = fmt.Sprintf("holders/%s/%d", method, n)
				}
				b.Run(name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						gas := payoutGas(b, method, n, fmt.Sprintf("bench %s %d %d", method, n, i), holders)
						b.ReportMetric(float64(gas)/float64(n), "gas/recipient")
					}
				})
			}
		}
	}
}

// payoutGas plans and executes a payout to n recipients and returns the gas
// used by all its transactions. With holders, a first payout (not measured)
// gives each recipient 1 base unit.
func payoutGas(b *testing.B, method string, n int, seed string, holders bool) uint64 {
	b.Helper()
	c := startChain(b)
	client := dial(b, c.RPC)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d := distribution(n, seed)
	if holders {
		first := d
		first.Recipients = append([]podium.Recipient{}, d.Recipients...)
		for i := range first.Recipients {
			first.Recipients[i].Amount = "1"
		}
		first.Total = fmt.Sprint(n)
		_, path := makePlan(b, c, client, first, payout.MethodBatch, 0)
		if _, err := executeCtx(b, ctx, c, client, path, nil); err != nil {
			b.Fatal(err)
		}
	}
	_, path := makePlan(b, c, client, d, method, 0)
	if _, err := executeCtx(b, ctx, c, client, path, func(e *payout.Executor) { e.MaxPending = 64 }); err != nil {
		b.Fatal(err)
	}
	recs, err := payout.ReadJournal(payout.JournalPath(path))
	if err != nil {
		b.Fatal(err)
	}
	var gas uint64
	for _, r := range recs {
		if r.Kind != payout.RecordMined {
			continue
		}
		rc, err := client.TransactionReceipt(context.Background(), common.HexToHash(r.Hash))
		if err != nil {
			b.Fatal(err)
		}
		gas += rc.GasUsed
	}
	return gas
}
