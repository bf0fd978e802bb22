// Package registry reads the registry file (docs/design.md §5.7): CSV with the header
// address,service_uri,name,payout_address, one orchestrator a line, giving
// names, service URIs and payout addresses.
package registry

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/podiumhq/podium"
)

// Header is the registry file's required first line.
var Header = []string{"address", "service_uri", "name", "payout_address"}

// File is a registry read from a CSV file; every entry is active.
type File struct {
	Path string
}

var _ podium.Registry = (*File)(nil)

// Orchestrators reads and checks the file.
func (f *File) Orchestrators(ctx context.Context) ([]podium.Orchestrator, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, podium.Errorf(podium.EINVALID, "registry: %w", err).WithHint("pass a CSV file with --registry FILE")
	}
	defer fh.Close()
	orchs, err := Parse(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return orchs, nil
}

// Parse reads a registry CSV. Addresses are lowercased; an address listed
// twice, a bad address or a bad payout address is an error naming its line.
func Parse(r io.Reader) ([]podium.Orchestrator, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked per line, to name the line
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		return nil, podium.Errorf(podium.EINVALID, "registry: read header: %w", err)
	}
	if strings.Join(head, ",") != strings.Join(Header, ",") {
		return nil, podium.Errorf(podium.EINVALID, "registry: line 1: header is %q, want %q", strings.Join(head, ","), strings.Join(Header, ","))
	}
	var out []podium.Orchestrator
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, podium.Errorf(podium.EINVALID, "registry: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(Header) {
			return nil, podium.Errorf(podium.EINVALID, "registry: line %d: %d fields, want %d (%s)", line, len(rec), len(Header), strings.Join(Header, ","))
		}
		o := podium.Orchestrator{
			Address: strings.ToLower(strings.TrimSpace(rec[0])), ServiceURI: strings.TrimSpace(rec[1]),
			Name: strings.TrimSpace(rec[2]), PayoutAddress: strings.ToLower(strings.TrimSpace(rec[3])), Active: true,
		}
		if !podium.IsAddress(o.Address) {
			return nil, podium.Errorf(podium.EINVALID, "registry: line %d: address %q is not a 0x-prefixed 40-hex-digit address", line, rec[0])
		}
		if o.PayoutAddress != "" && !podium.IsAddress(o.PayoutAddress) {
			return nil, podium.Errorf(podium.EINVALID, "registry: line %d: payout_address %q is not a 0x-prefixed 40-hex-digit address", line, rec[3])
		}
		if prev, dup := seen[o.Address]; dup {
			return nil, podium.Errorf(podium.EINVALID, "registry: line %d: %s is already listed on line %d", line, o.Address, prev)
		}
		seen[o.Address] = line
		out = append(out, o)
	}
}
