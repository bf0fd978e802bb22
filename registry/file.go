// Package registry lists orchestrators from where podium learns them. This
// file implements the CSV file source of design §11; the chain source lives
// in chain/ behind the same podium.Registry interface.
package registry

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/podiumhq/podium"
)

// Header is the CSV header a registry file must start with.
var Header = []string{"address", "service_uri", "name", "payout_address"}

// File is a registry read from a CSV file with the header
// address,service_uri,name,payout_address (the last three may be empty). It
// is re-read on every call, so editing the file takes effect on the next
// probe cycle. Every entry is active.
type File struct {
	Path string
}

// Orchestrators reads and validates the file.
func (f File) Orchestrators(ctx context.Context) ([]podium.Orchestrator, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, podium.Errorf(podium.EINVALID, "read orchestrators file: %v", err).
			WithHint("pass --orchestrators FILE, a CSV with the header " + strings.Join(Header, ","))
	}
	defer fh.Close()
	orchs, err := Parse(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return orchs, nil
}

// Parse reads a registry CSV. The error names the line and field at fault.
func Parse(r io.Reader) ([]podium.Orchestrator, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, podium.Errorf(podium.EINVALID, "empty file").WithHint("start it with the header " + strings.Join(Header, ","))
	}
	if err != nil {
		return nil, podium.Errorf(podium.EINVALID, "%v", err)
	}
	if !sameHeader(head) {
		return nil, podium.Errorf(podium.EINVALID, "line 1: header is %q", strings.Join(head, ",")).
			WithHint("the header must be " + strings.Join(Header, ","))
	}
	seen := map[string]int{}
	var out []podium.Orchestrator
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, podium.Errorf(podium.EINVALID, "%v", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) > len(Header) {
			return nil, podium.Errorf(podium.EINVALID, "line %d: %d fields, at most %d", line, len(rec), len(Header))
		}
		for len(rec) < len(Header) {
			rec = append(rec, "")
		}
		o, err := entry(rec)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if prev, dup := seen[o.Address]; dup {
			return nil, podium.FieldError("address", "line %d: %s is already on line %d", line, o.Address, prev)
		}
		seen[o.Address] = line
		out = append(out, o)
	}
}

func entry(rec []string) (podium.Orchestrator, error) {
	o := podium.Orchestrator{
		Address:       strings.ToLower(strings.TrimSpace(rec[0])),
		ServiceURI:    strings.TrimSpace(rec[1]),
		Name:          strings.TrimSpace(rec[2]),
		PayoutAddress: strings.ToLower(strings.TrimSpace(rec[3])),
		Active:        true,
	}
	if !podium.IsAddress(o.Address) {
		return o, podium.FieldError("address", "%q is not a 0x-prefixed 40-hex-digit address", rec[0])
	}
	if o.ServiceURI != "" {
		u, err := url.Parse(o.ServiceURI)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return o, podium.FieldError("service_uri", "%q is not an http(s)://host:port URI", o.ServiceURI)
		}
	}
	if o.PayoutAddress != "" && !podium.IsAddress(o.PayoutAddress) {
		return o, podium.FieldError("payout_address", "%q is not a 0x-prefixed 40-hex-digit address", rec[3])
	}
	return o, nil
}

func sameHeader(h []string) bool {
	if len(h) != len(Header) {
		return false
	}
	for i := range h {
		if strings.ToLower(strings.TrimSpace(h[i])) != Header[i] {
			return false
		}
	}
	return true
}
