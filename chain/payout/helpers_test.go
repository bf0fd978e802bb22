package payout_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/chain/payout"
)

// startChain runs a dev chain for one test.
func startChain(t testing.TB) *devchain.Chain {
	t.Helper()
	c, err := devchain.Start(context.Background(), devchain.Config{Listen: "127.0.0.1:0", Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dial connects over HTTP with a short per-call timeout.
func dial(t testing.TB, url string) *ethclient.Client {
	t.Helper()
	c, err := chain.Dial(context.Background(), url, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// lpt is n whole tokens in base units.
func lpt(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// distribution returns a distribution paying n fresh addresses (derived from
// seed) uneven amounts, one of them through a pay_to address.
func distribution(n int, seed string) podium.Distribution {
	d := podium.Distribution{Program: "test", Round: 1, Token: podium.TokenInfo{Symbol: "LPT", Decimals: 18}}
	total := new(big.Int)
	for i := 0; i < n; i++ {
		a := common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprintf("%s %d", seed, i))))
		amt := new(big.Int).Add(lpt(int64(100+i)), big.NewInt(int64(i*7+1)))
		r := podium.Recipient{Address: strings.ToLower(a.Hex()), Amount: amt.String(),
			Awards: []podium.Award{{Pool: "qualified", Amount: amt.String()}}}
		if i == 1 {
			p := common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprintf("%s pay_to %d", seed, i))))
			r.PayTo = strings.ToLower(p.Hex())
		}
		total.Add(total, amt)
		d.Recipients = append(d.Recipients, r)
	}
	d.Total, d.Undistributed = total.String(), "0"
	return d
}

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// makePlan plans d on c with method and saves it in a temp dir.
func makePlan(t testing.TB, c *devchain.Chain, client *ethclient.Client, d podium.Distribution, method string, batchSize int) (*payout.Plan, string) {
	t.Helper()
	p, err := payout.MakePlan(context.Background(), client, payout.Request{
		Distribution: marshal(t, d), Token: c.Token, Sender: c.Admin, Method: method, Batch: c.Batch, BatchSize: batchSize,
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	return p, path
}

// execute runs the plan at path to the end.
func execute(t testing.TB, c *devchain.Chain, client *ethclient.Client, path string, tune func(*payout.Executor)) (*payout.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return executeCtx(t, ctx, c, client, path, tune)
}

func executeCtx(t testing.TB, ctx context.Context, c *devchain.Chain, client *ethclient.Client, path string, tune func(*payout.Executor)) (*payout.Result, error) {
	t.Helper()
	p, err := payout.LoadPlan(path, "")
	if err != nil {
		t.Fatal(err)
	}
	key, err := chain.LoadKey(c.Keystore, c.PassphraseFile)
	if err != nil {
		t.Fatal(err)
	}
	j, err := payout.OpenJournal(payout.JournalPath(path), p.Hash, time.Now())
	if err != nil {
		return nil, err
	}
	defer j.Close()
	e := &payout.Executor{Client: client, Key: key, Plan: p, Journal: j, Poll: 20 * time.Millisecond, StuckAfter: 2 * time.Second}
	if tune != nil {
		tune(e)
	}
	return e.Run(ctx)
}

// checkPaid asserts that every payee holds exactly its planned amounts, the
// sender lost exactly the total and reconciliation finds each payment once.
func checkPaid(t *testing.T, c *devchain.Chain, client *ethclient.Client, p *payout.Plan, senderBefore *big.Int) {
	t.Helper()
	checkBalances(t, c, client, p)
	if spent := new(big.Int).Sub(senderBefore, balance(t, c, client, c.Admin)); spent.Cmp(p.TotalInt()) != 0 {
		t.Errorf("sender spent %s, want %s", spent, p.Total)
	}
	rec, err := payout.Reconcile(context.Background(), client, p)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.OK() {
		t.Errorf("reconcile: %d missing, extra %+v", rec.Missing(), rec.Extra)
	}
	if p.Batch != "" {
		if left := balance(t, c, client, common.HexToAddress(p.Batch)); left.Sign() != 0 {
			t.Errorf("the batch contract kept %s", left)
		}
	}
}

// checkBalances asserts that every payee holds exactly its planned amounts
// (payees are fresh addresses, so that is their whole balance).
func checkBalances(t *testing.T, c *devchain.Chain, client *ethclient.Client, p *payout.Plan) {
	t.Helper()
	want := map[string]*big.Int{}
	for _, pay := range p.Payments {
		if want[pay.To] == nil {
			want[pay.To] = new(big.Int)
		}
		want[pay.To].Add(want[pay.To], mustBig(pay.Amount))
	}
	for to, amt := range want {
		if got := balance(t, c, client, common.HexToAddress(to)); got.Cmp(amt) != 0 {
			t.Errorf("%s holds %s, want %s", to, got, amt)
		}
	}
}

func mustBig(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return v
}

func balance(t *testing.T, c *devchain.Chain, client *ethclient.Client, a common.Address) *big.Int {
	t.Helper()
	b, err := chain.Token{Client: client, Address: c.Token}.BalanceOf(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
