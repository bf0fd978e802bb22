package probe_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/lpnet/pm"
	"github.com/podiumhq/podium/probe"
)

// echoBackend answers each profile with "<profile>:" + the segment, which
// prefixVerifier accepts, and serves the answers itself.
type echoBackend struct {
	mu    sync.Mutex
	files map[string][]byte
	base  string
	jobs  int
}

func (b *echoBackend) CheckCapacity(string) error { return nil }

func (b *echoBackend) Transcode(_ context.Context, job *lpnet.Job) ([]lpnet.Output, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.jobs++
	var outs []lpnet.Output
	for _, p := range job.Profiles {
		name := fmt.Sprintf("/%s/%s/%d", job.SessionID, p.Name, job.Seq)
		data := append([]byte(p.Name+":"), job.Data...)
		b.files[name] = data
		outs = append(outs, lpnet.Output{URL: b.base + name, Pixels: int64(p.Width*p.Height) * 60, Hash: crypto.Keccak256(data)})
	}
	return outs, nil
}

func (b *echoBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	data, ok := b.files[r.URL.Path]
	b.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(data)
}

// paidOrchestrator serves a paid lpnet.Server at 1200 wei per pixel on a
// ledger; it returns the orchestrator and the ledger.
func paidOrchestrator(t *testing.T) (podium.Orchestrator, *pm.Ledger, *echoBackend) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(77))
	ledger := pm.NewLedger(signer.Address())
	r := &pm.Recipient{Addr: signer.Address(), Chain: ledger, Config: pm.RecipientConfig{EV: big.NewInt(8_000_000_000), RedeemGas: 350_000, TxCostMultiplier: 100}}
	b := &echoBackend{files: map[string][]byte{}, base: "https://" + ln.Addr().String()}
	s := &lpnet.Server{Signer: signer, Backend: b, Files: b, Price: &lpnet.PriceInfo{PricePerUnit: 1200, PixelsPerUnit: 1},
		Payee: &lpnet.Payee{Recipient: r}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return podium.Orchestrator{Address: strings.ToLower(signer.Address().Hex()), ServiceURI: "https://" + ln.Addr().String()}, ledger, b
}

func payingDirect(ledger *pm.Ledger, fund bool) *probe.Direct {
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(3))
	if fund {
		ledger.Fund(signer.Address(), big.NewInt(1e18), big.NewInt(1e18))
	}
	c := lpnet.NewClient(signer)
	c.Payer = lpnet.NewPayer(signer, ledger)
	return &probe.Direct{Client: c}
}

func paidTester() *probe.Tester {
	tt := newTester(40*time.Millisecond, 3)
	tt.Timeout = 5 * time.Second
	return tt
}

func TestDirect_Paid(t *testing.T) {
	o, ledger, _ := paidOrchestrator(t)
	res, err := paidTester().Test(context.Background(), payingDirect(ledger, true), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.SuccessRate != 1 {
		t.Fatalf("success rate %v, errors %v\n%s", res.Stats.SuccessRate, res.Stats.Errors, res.Log)
	}
	// 40 ms segments count as 1 s: 240p + 360p at 30 fps, × 1.02 × 1200
	// wei = 12.2 gwei: 2 tickets of 8 gwei. The echo backend reports 60
	// frames, 23.95 gwei, leaving the credit 7.95 gwei short: the next
	// two segments take 3 tickets each, as go-livepeer's broadcaster would.
	if res.Cost.Tickets != 8 || res.Cost.FaceValue.Cmp(big.NewInt(800_000_000_000)) != 0 || res.Cost.EV.Sign() <= 0 {
		t.Errorf("cost %d tickets of %v wei, EV %v\n%s", res.Cost.Tickets, res.Cost.FaceValue, res.Cost.EV, res.Log)
	}
	// The record posted carries the same cost, exactly.
	want := podium.StatsCost{Tickets: 8, FaceValue: "800000000000", ExpectedValue: res.Cost.EV.RatString()}
	if c := res.Stats.Cost; c == nil || *c != want {
		t.Errorf("record's cost %+v, want %+v", c, want)
	} else if err := c.Normalize(); err != nil || *c != want {
		t.Errorf("record's cost does not pass ingest: %v", err)
	}
	if !strings.Contains(res.Log, "test cost") {
		t.Errorf("the test's log does not say what it cost:\n%s", res.Log)
	}
}

func TestDirect_ErrPriceOverCap(t *testing.T) {
	o, ledger, b := paidOrchestrator(t)
	d := payingDirect(ledger, true)
	d.Client.Payer.MaxPrice = big.NewRat(1000, 1)
	res, err := paidTester().Test(context.Background(), d, o)
	if err != nil {
		t.Fatal(err)
	}
	if !probe.OverCap(res) || res.Stats.SegmentsReceived != 0 || b.jobs != 0 {
		t.Fatalf("over cap %v, received %d, segments sent to the orchestrator %d; errors %v", probe.OverCap(res), res.Stats.SegmentsReceived, b.jobs, res.Stats.Errors)
	}
}

func TestDirect_ErrProberCannotPay(t *testing.T) {
	o, ledger, _ := paidOrchestrator(t)
	// A reserve but no deposit: the orchestrator gives ticket parameters,
	// the prober's own check refuses to sign.
	d := payingDirect(ledger, false)
	ledger.Fund(d.Client.Signer.Address(), new(big.Int), big.NewInt(1e18))
	res, err := paidTester().Test(context.Background(), d, o)
	if err != nil {
		t.Fatal(err)
	}
	if !probe.ProberFault(res) {
		t.Fatalf("errors %v: want the prober's fault (%s)", res.Stats.Errors, probe.CodePayment)
	}
}

func TestProber_RunCycle_Payment(t *testing.T) {
	ctx := context.Background()
	t.Run("OKPriceOverCap", func(t *testing.T) {
		p, b, _, _ := newProber(t, "honest", "overcap")
		c, err := p.RunCycle(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Recorded != 1 || c.OverCap != 1 || c.Withheld != 0 || len(b.stored) != 1 {
			t.Fatalf("recorded %d, over cap %d, withheld %d, stored %d", c.Recorded, c.OverCap, c.Withheld, len(b.stored))
		}
	})
	t.Run("ErrFunds", func(t *testing.T) {
		p, b, trs, _ := newProber(t, "honest", "honest")
		ledger := pm.NewLedger()
		payer := lpnet.NewPayer(lpnet.NewSigner(lpnet.KeyFromSeed(3)), ledger)
		ledger.Fund(payer.Sender.Signer.Address(), big.NewInt(1000), big.NewInt(1000))
		p.Funds = func(_ context.Context, n int) error { return payer.CheckFunds(big.NewInt(int64(n) * 1000)) }
		_, err := p.RunCycle(ctx, 1)
		var fe *lpnet.FundsError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "at least 2000 wei") {
			t.Fatalf("err = %v, want the deposit needed (2000 wei)", err)
		}
		if len(b.stored) != 0 || len(trs["honest"].sent) != 0 {
			t.Fatalf("stored %d, segments sent %d: no orchestrator may be tested", len(b.stored), len(trs["honest"].sent))
		}
	})
}
