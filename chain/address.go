package chain

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

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
