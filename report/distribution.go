package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/big"
	"strings"

	"github.com/podiumhq/podium"
)

// DistributionCSV renders a distribution as CSV, one line per recipient:
// amount in base units as in the JSON, amount_tokens in token units, and the
// awards as podium.FormatAwards writes them (pool[:REGION#rank]=amount, an
// AI award pool:pipeline/model@REGION[#rank]=amount) separated by ";". name comes from the
// snapshot's registry data.
func DistributionCSV(d *podium.Distribution, name func(string) string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"address", "name", "pay_to", "amount", "amount_tokens", "awards"})
	for _, r := range d.Recipients {
		amt, _ := new(big.Int).SetString(r.Amount, 10)
		w.Write([]string{r.Address, name(r.Address), r.PayTo, r.Amount, podium.FormatAmount(amt, d.Token.Decimals), podium.FormatAwards(r.Awards)})
	}
	w.Flush()
	return buf.Bytes()
}

// DistributionMarkdown renders a distribution as a Markdown table with its
// id, for review before a payout.
func DistributionMarkdown(d *podium.Distribution, name func(string) string) ([]byte, error) {
	id, err := d.ID()
	if err != nil {
		return nil, err
	}
	tok := func(s string) string {
		v, _ := new(big.Int).SetString(s, 10)
		return podium.FormatAmount(v, d.Token.Decimals)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s round %d distribution\n\n", d.Program, d.Round)
	fmt.Fprintf(&b, "| Orchestrator | Address | Amount (%s) | Awards |\n|---|---|---:|---|\n", d.Token.Symbol)
	for _, r := range d.Recipients {
		addr := r.Address
		if r.PayTo != "" {
			addr += " → " + r.PayTo
		}
		var aw []string
		for _, a := range r.Awards {
			s := a.Pool
			switch {
			case a.Pipeline != "":
				s += fmt.Sprintf(" %s/%s %s", a.Pipeline, a.Model, a.Region)
				if a.Rank > 0 {
					s += fmt.Sprintf(" #%d", a.Rank)
				}
			case a.Region != "":
				s += fmt.Sprintf(" %s #%d", a.Region, a.Rank)
			}
			aw = append(aw, s+" "+tok(a.Amount))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name(r.Address), addr, tok(r.Amount), strings.Join(aw, ", "))
	}
	fmt.Fprintf(&b, "\nTotal %s %s, undistributed %s %s.\n\n", tok(d.Total), d.Token.Symbol, tok(d.Undistributed), d.Token.Symbol)
	fmt.Fprintf(&b, "- distribution `%s`\n- rules `%s`\n- snapshot `%s`\n", id, d.RulesID, d.SnapshotID)
	return b.Bytes(), nil
}
