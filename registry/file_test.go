package registry_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/registry"
)

func TestFile_Orchestrators(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "registry.csv")
		if err := os.WriteFile(path, []byte(round1.Registry), 0o644); err != nil {
			t.Fatal(err)
		}
		orchs, err := (&registry.File{Path: path}).Orchestrators(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(orchs) != 5 || orchs[1].Name != "majOrcha" || orchs[1].Payee() != "0x2000000000000000000000000000000000000002" ||
			orchs[0].ServiceURI != "https://vires.example:8935" || orchs[2].Payee() != orchs[2].Address || !orchs[3].Active {
			t.Fatalf("%+v", orchs)
		}
	})
	t.Run("ErrMissingFile", func(t *testing.T) {
		_, err := (&registry.File{Path: "testdata/none.csv"}).Orchestrators(context.Background())
		if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorHint(err) == "" {
			t.Fatalf("err %v", err)
		}
	})
}

func TestParse(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ErrHeader", "addr,name\n", `registry: line 1: header is "addr,name", want "address,service_uri,name,payout_address"`},
		{"ErrAddress", "address,service_uri,name,payout_address\n0x12,,a,\n", `registry: line 2: address "0x12" is not a 0x-prefixed 40-hex-digit address`},
		{"ErrPayout", "address,service_uri,name,payout_address\n0x1000000000000000000000000000000000000001,,a,nope\n", `registry: line 2: payout_address "nope" is not a 0x-prefixed 40-hex-digit address`},
		{"ErrDuplicate", "address,service_uri,name,payout_address\n0x1000000000000000000000000000000000000001,,a,\n0x1000000000000000000000000000000000000001,,b,\n",
			"registry: line 3: 0x1000000000000000000000000000000000000001 is already listed on line 2"},
		{"ErrFields", "address,service_uri,name,payout_address\n0x1000000000000000000000000000000000000001,a\n", "registry: line 2: 2 fields, want 4 (address,service_uri,name,payout_address)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := registry.Parse(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) || podium.ErrorCode(err) != podium.EINVALID {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}
