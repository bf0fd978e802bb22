package registry

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
)

// TestWriteCSV: what WriteCSV writes, Parse reads back the same, commas
// and quotes in names included (a file lists active orchestrators).
func TestWriteCSV(t *testing.T) {
	orchs := []podium.Orchestrator{
		{Address: "0x00000000000000000000000000000000000000a1", ServiceURI: "https://a.example:8935", Name: `Alice, "the fast"`, Active: true},
		{Address: "0x00000000000000000000000000000000000000b2", ServiceURI: "https://b.example:8935", Name: "bob", PayoutAddress: "0x00000000000000000000000000000000000000c3", Active: true},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, orchs); err != nil {
		t.Fatal(err)
	}
	got, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, orchs) {
		t.Fatalf("read back %+v, want %+v", got, orchs)
	}
}
