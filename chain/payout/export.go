package payout

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium"
)

// Export formats.
const (
	FormatSafe   = "safe"
	FormatMerkle = "merkle"
	FormatCSV    = "csv"
)

// Export writes the plan for another signer: a Safe transaction-builder batch,
// a merkle-distributor JSON, or CSV.
func Export(w io.Writer, p *Plan, format string, now time.Time) error {
	switch format {
	case FormatSafe:
		return writeJSON(w, SafeBatch(p, now))
	case FormatMerkle:
		m, err := Merkle(p)
		if err != nil {
			return err
		}
		return writeJSON(w, m)
	case FormatCSV:
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"index", "recipient", "pay_to", "amount"})
		for _, pay := range p.Payments {
			_ = cw.Write([]string{strconv.Itoa(pay.Index), pay.Recipient, pay.To, pay.Amount})
		}
		cw.Flush()
		return cw.Error()
	}
	return podium.FieldError("format", "%q is not one of %s, %s, %s", format, FormatSafe, FormatMerkle, FormatCSV)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// SafeBatchFile is the Safe{Wallet} transaction-builder batch format.
type SafeBatchFile struct {
	Version      string   `json:"version"`
	ChainID      string   `json:"chainId"`
	CreatedAt    int64    `json:"createdAt"`
	Meta         SafeMeta `json:"meta"`
	Transactions []SafeTx `json:"transactions"`
}

// SafeMeta describes a batch.
type SafeMeta struct {
	Name                   string `json:"name"`
	Description            string `json:"description"`
	TxBuilderVersion       string `json:"txBuilderVersion"`
	CreatedFromSafeAddress string `json:"createdFromSafeAddress"`
}

// SafeTx is one call of a batch, given by method and inputs.
type SafeTx struct {
	To                   string            `json:"to"`
	Value                string            `json:"value"`
	Data                 *string           `json:"data"`
	ContractMethod       SafeMethod        `json:"contractMethod"`
	ContractInputsValues map[string]string `json:"contractInputsValues"`
}

// SafeMethod is the ABI of the method called.
type SafeMethod struct {
	Inputs  []SafeInput `json:"inputs"`
	Name    string      `json:"name"`
	Payable bool        `json:"payable"`
}

// SafeInput is one ABI input.
type SafeInput struct {
	InternalType string `json:"internalType"`
	Name         string `json:"name"`
	Type         string `json:"type"`
}

// SafeBatch returns one ERC-20 transfer per payment, from the Safe at the
// plan's sender (the Safe executes them atomically through MultiSend).
func SafeBatch(p *Plan, now time.Time) SafeBatchFile {
	method := SafeMethod{Name: "transfer", Inputs: []SafeInput{
		{InternalType: "address", Name: "to", Type: "address"},
		{InternalType: "uint256", Name: "value", Type: "uint256"},
	}}
	f := SafeBatchFile{
		Version: "1.0", ChainID: strconv.FormatUint(p.ChainID, 10), CreatedAt: now.UnixMilli(),
		Meta: SafeMeta{
			Name:                   fmt.Sprintf("%s round %d payout", p.Program, p.Round),
			Description:            fmt.Sprintf("podium plan %s: %d payments, %s base units of %s", p.Hash, len(p.Payments), p.Total, p.Symbol),
			TxBuilderVersion:       "1.16.5",
			CreatedFromSafeAddress: common.HexToAddress(p.Sender).Hex(),
		},
	}
	for _, pay := range p.Payments {
		f.Transactions = append(f.Transactions, SafeTx{
			To: common.HexToAddress(p.Token).Hex(), Value: "0", ContractMethod: method,
			ContractInputsValues: map[string]string{"to": common.HexToAddress(pay.To).Hex(), "value": pay.Amount},
		})
	}
	return f
}
