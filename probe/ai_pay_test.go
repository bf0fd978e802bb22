package probe_test

import (
	"context"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/lpnet/pm"
	"github.com/podiumhq/podium/node"
)

// TestAITester_Paid: a paying prober's AI records carry what each
// answered request cost, as transcoding records do, in a form ingest
// accepts; an unpaid prober's carry none.
func TestAITester_Paid(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(79))
	ledger := pm.NewLedger(signer.Address())
	r := &pm.Recipient{Addr: signer.Address(), Chain: ledger, Config: pm.RecipientConfig{EV: big.NewInt(8_000_000_000), RedeemGas: 350_000, TxCostMultiplier: 100}}
	s := &lpnet.Server{Signer: signer, Backend: &echoBackend{files: map[string][]byte{}}, Price: &lpnet.PriceInfo{PricePerUnit: 1200, PixelsPerUnit: 1},
		Payee: &lpnet.Payee{Recipient: r}, AI: &node.AIWorker{Seed: 1, FFmpeg: &node.FFmpeg{Threads: 1}}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	o := podium.Orchestrator{Address: strings.ToLower(signer.Address().Hex()), ServiceURI: "https://" + ln.Addr().String()}

	tester := aiTester(30*time.Second, false)
	tester.Pipelines = []string{lpnet.PipelineUpscale, lpnet.PipelineTextToImage}
	tester.Client = payingDirect(ledger, true).Client
	stats, err := tester.Test(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 2 {
		t.Fatalf("%d records, want upscale and text-to-image", len(stats))
	}
	for _, st := range stats {
		if st.SuccessRate != 1 {
			t.Fatalf("%s: %v", st.Pipeline, st.Errors)
		}
		rec := st.Record()
		if rec.Cost == nil || rec.Cost.Tickets == 0 || st.Paid.Tickets != rec.Cost.Tickets || st.Paid.EV.Sign() <= 0 {
			t.Errorf("%s: cost %+v, paid %+v; want the tickets it paid", st.Pipeline, rec.Cost, st.Paid)
		} else if c := *rec.Cost; c.Normalize() != nil || c != *rec.Cost {
			t.Errorf("%s: cost %+v does not pass ingest", st.Pipeline, c)
		}
	}

	unpaid := aiTester(30*time.Second, false)
	unpaid.Pipelines = []string{lpnet.PipelineTextToImage}
	stats, err = unpaid.Test(context.Background(), startAINode(t, "none"))
	if err != nil || len(stats) != 1 || stats[0].Cost != nil || stats[0].Record().Cost != nil {
		t.Errorf("unpaid: %+v (%v), want one record without a cost", stats, err)
	}
}
