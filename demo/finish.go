package demo

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/payout"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/verify"
)

// finishInput is what the end of the round hands to finish.
type finishInput struct {
	program     *podium.Program
	programPath string
	snap        podium.StoredSnapshot
	registry    podium.Registry
	pay         *payStatus
}

// finish does what an administrator does after a round, as the commands do
// it: `podium rewards`, `podium payout plan|execute|reconcile`, `podium
// report results` and `podium verify`, every file written into the demo's
// directory; then it builds the summary.
func (d *demo) finish(ctx context.Context, in finishInput) (*Summary, error) {
	out, p := d.cfg.Out, in.program
	files := []string{in.programPath, filepath.Join(d.dir, "devchain.json")}
	if _, err := os.Stat(filepath.Join(d.dir, "demo.log")); err == nil {
		files = append(files, filepath.Join(d.dir, "demo.log"))
	}
	write := func(name string, b []byte) (string, error) {
		path := filepath.Join(d.dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return "", err
		}
		files = append(files, path)
		return path, os.WriteFile(path, b, 0o644)
	}
	if _, err := write("snapshot.json", in.snap.Body); err != nil {
		return nil, err
	}
	snap, err := podium.ParseSnapshot(in.snap.Body)
	if err != nil {
		return nil, err
	}

	// podium rewards
	o, err := rules.Compute(p, 1, snap)
	if err != nil {
		return nil, fmt.Errorf("rewards: %w", err)
	}
	dist := &o.Distribution
	distBody, err := dist.Canonical()
	if err != nil {
		return nil, err
	}
	if _, err := write("distribution.json", distBody); err != nil {
		return nil, err
	}
	if _, err := write("distribution.csv", report.DistributionCSV(dist, snap.Name)); err != nil {
		return nil, err
	}
	distID, _ := dist.ID()
	fmt.Fprintf(out, "distribution %s: %d recipients, %s LPT paid, %s LPT undistributed\n",
		distID, len(dist.Recipients), lpt(dist.Total), lpt(dist.Undistributed))

	// podium payout plan|execute|reconcile, with the batch contract
	var po *Payout
	txOf := map[string]string{}
	if len(dist.Recipients) == 0 {
		fmt.Fprintf(out, "nobody qualified: nothing to pay\n")
	} else {
		r, err := p.Round(1)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "paying on the dev chain (batch contract %s)…\n", d.chain.Batch.Hex())
		if po, err = pay(ctx, d.chain, d.client, distBody, r.Budget, filepath.Join(d.dir, "payout"), in.pay, d.cfg.Now, d.cfg.Logger); err != nil {
			return nil, err
		}
		rec := filepath.Join(d.dir, "payout", "reconcile.json")
		if err := writeJSON(rec, po.Reconcile); err != nil {
			return nil, err
		}
		files = append(files, po.PlanPath, payout.JournalPath(po.PlanPath), rec)
		for _, pd := range po.Reconcile.Payments {
			if pd.Found {
				txOf[pd.Recipient] = pd.Tx
			}
		}
	}

	// podium report results, with the payout's transactions
	rep, err := report.Build(report.Input{Kind: report.Results, Program: p, Round: 1, Snapshot: snap, Payments: txOf, Brink: 0.5})
	if err != nil {
		return nil, fmt.Errorf("results report: %w", err)
	}
	if _, err := write("report/report.md", rep.Markdown()); err != nil {
		return nil, err
	}
	page, err := rep.HTML()
	if err != nil {
		return nil, err
	}
	if _, err := write("report/report.html", page); err != nil {
		return nil, err
	}
	for _, reg := range rep.Regions {
		png, err := rep.PNG(reg)
		if err != nil {
			return nil, err
		}
		if _, err := write(filepath.Join("report", rep.ImageName(reg.ID)), png); err != nil {
			return nil, err
		}
	}

	// podium verify on the published files, then the chain
	ver, err := verify.Round(p, 1, in.snap.Body, distBody)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	balances, err := d.balances(ctx, ver.Recomputed)
	if err != nil {
		return nil, err
	}
	// podium verify --rpc: the published distribution against the token's
	// Transfer logs, from public data only (no plan, no journal).
	onChain := checkChain(ver.Recomputed, balances)
	var paid *payout.Reconciliation
	if po != nil {
		if paid, err = payout.PaidOnChain(ctx, d.client, distBody, d.chain.Token, d.chain.Admin, po.Reconcile.FromBlock); err != nil {
			return nil, fmt.Errorf("verify on chain: %w", err)
		}
		for _, x := range paid.Payments {
			if !x.Found {
				onChain = append(onChain, fmt.Sprintf("%s base units to %s (recipient %s) not found in the Transfer logs", x.Amount, x.To, x.Recipient))
			}
		}
		for _, x := range paid.Extra {
			onChain = append(onChain, fmt.Sprintf("unplanned transfer of %s to %s in %s", x.Amount, x.To, x.Tx))
		}
	}
	s := buildSummary(summaryInput{
		dir: d.dir, url: d.url, program: p, snap: snap, snapID: in.snap.ID, dist: dist, distID: distID,
		nodes: d.nodes.list, payout: po, verify: ver, paid: paid, chainDiffs: onChain, balances: balances, files: files,
	})
	if err := s.failures(ctx, d.db, snap); err != nil {
		return nil, err
	}
	s.AI = d.probers.aiTally()
	s.Write(out)
	return s, nil
}

// balances reads each payee's test LPT balance on the dev chain. The payees
// are fresh accounts, so a balance is exactly what the payout sent.
func (d *demo) balances(ctx context.Context, dist *podium.Distribution) (map[string]*big.Int, error) {
	tok := chain.Token{Client: d.client, Address: d.chain.Token}
	out := map[string]*big.Int{}
	for _, n := range d.nodes.list {
		b, err := tok.BalanceOf(ctx, common.HexToAddress(n.Address))
		if err != nil {
			return nil, fmt.Errorf("balance of %s: %w", n.Character.Name, err)
		}
		out[n.Address] = b
	}
	for _, r := range dist.Recipients {
		if _, ok := out[r.Payee()]; ok {
			continue
		}
		b, err := tok.BalanceOf(ctx, common.HexToAddress(r.Payee()))
		if err != nil {
			return nil, err
		}
		out[r.Payee()] = b
	}
	return out, nil
}

// checkChain compares the recomputed distribution with the payees' token
// balances on the chain; it returns every difference.
func checkChain(dist *podium.Distribution, balances map[string]*big.Int) []string {
	want := map[string]*big.Int{}
	for _, r := range dist.Recipients {
		a, _ := new(big.Int).SetString(r.Amount, 10)
		if w, ok := want[r.Payee()]; ok {
			a.Add(a, w)
		}
		want[r.Payee()] = a
	}
	var diffs []string
	for addr, b := range balances {
		w := want[addr]
		if w == nil {
			w = new(big.Int)
		}
		if b.Cmp(w) != 0 {
			diffs = append(diffs, fmt.Sprintf("%s holds %s, the distribution pays it %s", addr, b, w))
		}
	}
	return diffs
}

// lpt formats base units (a decimal string) as LPT.
func lpt(units string) string {
	v, ok := new(big.Int).SetString(units, 10)
	if !ok {
		return units
	}
	return podium.FormatAmount(v, 18)
}
