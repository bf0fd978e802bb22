package chain

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/registry"
)

// WriteRegistryCSV writes orchestrators in the registry file format.
func WriteRegistryCSV(w io.Writer, orchs []podium.Orchestrator) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(registry.Header)
	for _, o := range orchs {
		_ = cw.Write([]string{o.Address, o.ServiceURI, o.Name, o.PayoutAddress})
	}
	cw.Flush()
	return cw.Error()
}

// ParseAddress checks that s is a 0x-prefixed 20-byte hex address other than
// the zero address and returns it lowercase.
func ParseAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") || !common.IsHexAddress(s) {
		return "", fmt.Errorf("%q is not a 0x-prefixed 20-byte hex address", s)
	}
	a := common.HexToAddress(s)
	if a == (common.Address{}) {
		return "", fmt.Errorf("the zero address cannot be used")
	}
	return strings.ToLower(a.Hex()), nil
}
