package payout

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium"
)

// Prior is a payment of a distribution by another plan than the one at hand.
type Prior struct {
	// Where is "journal PATH" or "chain".
	Where string
	// Plan is the earlier plan's hash, when known.
	Plan string
	Txs  []string
}

// FindPrior returns what other plans paid of p's distribution (the same
// program, round and distribution): the signed transactions in the journals
// of plans in dir ("" to skip), and the transactions from p's sender on the
// chain, in blocks [since, head], whose calldata carries p's tag. Journals
// can be lost or live on another machine; the chain cannot, so it has the
// last word. Transactions in own (p's own journal) are not prior payments.
func FindPrior(ctx context.Context, c *ethclient.Client, p *Plan, dir string, own []Record, since uint64) ([]Prior, error) {
	var out []Prior
	if dir != "" {
		js, err := journalPriors(p, dir)
		if err != nil {
			return nil, err
		}
		out = append(out, js...)
	}
	if p.Tag == "" {
		return out, nil // a plan made before tags: only journals can tell
	}
	mine := map[common.Hash]bool{}
	for _, r := range own {
		if r.Kind == RecordSigned {
			mine[common.HexToHash(r.Hash)] = true
		}
	}
	head, err := c.BlockNumber(ctx)
	if err != nil {
		return nil, unavailable("block number", err)
	}
	logs, err := transfersFrom(ctx, c, common.HexToAddress(p.Token), common.HexToAddress(p.Sender), since, head)
	if err != nil {
		return nil, err
	}
	tag := common.FromHex(p.Tag)
	seen := map[common.Hash]bool{}
	onChain := Prior{Where: "chain"}
	for _, l := range logs {
		if seen[l.TxHash] || mine[l.TxHash] {
			continue
		}
		seen[l.TxHash] = true
		tx, _, err := c.TransactionByHash(ctx, l.TxHash)
		if err != nil {
			return nil, unavailable("transaction "+l.TxHash.Hex(), err)
		}
		if bytes.HasSuffix(tx.Data(), tag) {
			onChain.Txs = append(onChain.Txs, l.TxHash.Hex())
		}
	}
	if len(onChain.Txs) > 0 {
		out = append(out, onChain)
	}
	return out, nil
}

// journalPriors reads the journals of the other plans in dir.
func journalPriors(p *Plan, dir string) ([]Prior, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.journal"))
	if err != nil {
		return nil, fmt.Errorf("list journals: %w", err)
	}
	sort.Strings(paths)
	var out []Prior
	for _, path := range paths {
		recs, err := ReadJournal(path)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 || recs[0].Plan == p.Hash {
			continue
		}
		other, err := LoadPlan(strings.TrimSuffix(path, ".journal"), "")
		if err != nil || !sameDistribution(p, other) {
			continue // not a plan of this distribution, or no plan to tell
		}
		pr := Prior{Where: "journal " + path, Plan: other.Hash}
		for _, r := range recs {
			if r.Kind == RecordSigned {
				pr.Txs = append(pr.Txs, r.Hash)
			}
		}
		if len(pr.Txs) > 0 {
			out = append(out, pr)
		}
	}
	return out, nil
}

func sameDistribution(a, b *Plan) bool {
	if a.Tag != "" && a.Tag == b.Tag {
		return true
	}
	return a.Program == b.Program && a.Round == b.Round && a.Distribution == b.Distribution
}

// CheckUnpaid refuses p when FindPrior finds any payment of its
// distribution by another plan, naming the plans and transactions.
func CheckUnpaid(ctx context.Context, c *ethclient.Client, p *Plan, dir string, own []Record, since uint64) error {
	priors, err := FindPrior(ctx, c, p, dir, own, since)
	if err != nil || len(priors) == 0 {
		return err
	}
	var parts []string
	for _, pr := range priors {
		s := pr.Where
		if pr.Plan != "" {
			s += " (plan " + pr.Plan + ")"
		}
		parts = append(parts, s+": "+strings.Join(pr.Txs, ", "))
	}
	return podium.Errorf(podium.ECONFLICT, "%s round %d (distribution %s) is already paid or partly paid by another plan: %s",
		p.Program, p.Round, p.Distribution, strings.Join(parts, "; ")).
		WithHint("a distribution is paid once: run `podium payout reconcile` with the earlier plan, and finish it with `podium payout execute` on that plan, never a new one")
}
