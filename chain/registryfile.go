package chain

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium"
)

// registryHeader is the header of a registry file (design §11).
var registryHeader = []string{"address", "service_uri", "name", "payout_address"}

// ReadRegistryCSV parses a registry file: CSV with the header
// address,service_uri,name,payout_address (the last three may be empty).
// Addresses come back lowercase; every entry is active.
func ReadRegistryCSV(r io.Reader) ([]podium.Orchestrator, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(registryHeader)
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, podium.Errorf(podium.EINVALID, "registry file is empty").
			WithHint("the first line must be " + strings.Join(registryHeader, ","))
	}
	if err != nil {
		return nil, podium.FieldError("header", "%v", err)
	}
	if strings.Join(head, ",") != strings.Join(registryHeader, ",") {
		return nil, podium.FieldError("header", "is %q", strings.Join(head, ",")).
			WithHint("the first line must be " + strings.Join(registryHeader, ","))
	}
	var out []podium.Orchestrator
	seen := map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, podium.FieldError(fmt.Sprintf("line %d", line), "%v", err)
		}
		o := podium.Orchestrator{ServiceURI: rec[1], Name: rec[2], Active: true}
		if o.Address, err = ParseAddress(rec[0]); err != nil {
			return nil, podium.FieldError(fmt.Sprintf("line %d: address", line), "%v", err)
		}
		if rec[3] != "" {
			if o.PayoutAddress, err = ParseAddress(rec[3]); err != nil {
				return nil, podium.FieldError(fmt.Sprintf("line %d: payout_address", line), "%v", err)
			}
		}
		if prev, dup := seen[o.Address]; dup {
			return nil, podium.FieldError(fmt.Sprintf("line %d: address", line), "%s already on line %d", o.Address, prev)
		}
		seen[o.Address] = line
		out = append(out, o)
	}
}

// WriteRegistryCSV writes orchestrators in the registry file format.
func WriteRegistryCSV(w io.Writer, orchs []podium.Orchestrator) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(registryHeader)
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
