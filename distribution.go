package podium

import (
	"strconv"
	"strings"
)

// Distribution is the outcome of a round: who is paid how much and why. It is
// a pure function of a rules version and a snapshot. Amounts are decimal
// strings of token base units (wei); its canonical JSON's SHA-256 is its id.
type Distribution struct {
	Program       string      `json:"program"`
	Round         int         `json:"round"`
	RulesID       string      `json:"rules_id"`
	SnapshotID    string      `json:"snapshot_id"`
	Token         TokenInfo   `json:"token"`
	Recipients    []Recipient `json:"recipients"`
	Total         string      `json:"total"`
	Undistributed string      `json:"undistributed"`
}

// TokenInfo names the token a distribution is paid in.
type TokenInfo struct {
	Symbol   string `json:"symbol"`
	Decimals int    `json:"decimals"`
}

// Recipient is one line of a distribution; Recipients are sorted by Address.
type Recipient struct {
	// Address is the orchestrator's on-chain address.
	Address string `json:"address"`
	// PayTo is the registry's payout address when it differs from Address;
	// the payout sends Amount there.
	PayTo  string  `json:"pay_to,omitempty"`
	Amount string  `json:"amount"`
	Awards []Award `json:"awards"`
}

// Payee returns the address the recipient's amount is sent to.
func (r Recipient) Payee() string {
	if r.PayTo != "" {
		return r.PayTo
	}
	return r.Address
}

// Award is the part of a recipient's amount earned from one pool.
type Award struct {
	Pool   string `json:"pool"`
	Region string `json:"region,omitempty"`
	Rank   int    `json:"rank,omitempty"`
	// Pipeline and Model name the AI score that earned an AI pool's award
	// (its Region is where that score was met); absent for transcoding.
	Pipeline string `json:"pipeline,omitempty"`
	Model    string `json:"model,omitempty"`
	Amount   string `json:"amount"`
}

// FormatAwards writes awards the one way podium lists them as text:
// pool[:REGION#rank]=amount, amounts in base units, separated by ";"; an
// AI award is pool:pipeline/model@REGION[#rank]=amount. It is the awards
// column of the distribution's CSV and what verify compares.
func FormatAwards(as []Award) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Pool
		switch {
		case a.Pipeline != "":
			parts[i] += ":" + a.Pipeline + "/" + a.Model + "@" + a.Region
			if a.Rank > 0 {
				parts[i] += "#" + strconv.Itoa(a.Rank)
			}
		case a.Region != "":
			parts[i] += ":" + a.Region + "#" + strconv.Itoa(a.Rank)
		}
		parts[i] += "=" + a.Amount
	}
	return strings.Join(parts, ";")
}
