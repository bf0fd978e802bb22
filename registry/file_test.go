package registry_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/registry"
)

func TestFile_Orchestrators(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		got, err := registry.File{Path: "testdata/ok.csv"}.Orchestrators(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := []podium.Orchestrator{
			{Address: "0x0fc80000000000000000000000000000000a8658", ServiceURI: "https://orch1.example.com:8935", Name: "orch one", Active: true},
			{Address: "0x1111111111111111111111111111111111111111", ServiceURI: "https://127.0.0.1:8936", PayoutAddress: "0x2222222222222222222222222222222222222222", Active: true},
			{Address: "0x3333333333333333333333333333333333333333", Active: true},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
	})
	for _, tc := range []struct {
		file, field, msg string
	}{
		{"empty.csv", "", "empty file"},
		{"bad_header.csv", "", "header"},
		{"bad_address.csv", "address", "line 2"},
		{"bad_uri.csv", "service_uri", "ftp://a"},
		{"bad_payout.csv", "payout_address", "0xzz"},
		{"duplicate.csv", "address", "already on line 2"},
		{"too_many_fields.csv", "", "at most 4"},
		{"missing.csv", "", "no such file"},
	} {
		t.Run("ErrInvalid/"+strings.TrimSuffix(tc.file, ".csv"), func(t *testing.T) {
			_, err := registry.File{Path: filepath.Join("testdata", tc.file)}.Orchestrators(context.Background())
			if podium.ErrorCode(err) != podium.EINVALID {
				t.Fatalf("err = %v, want code invalid", err)
			}
			if f := podium.ErrorField(err); f != tc.field {
				t.Errorf("field = %q, want %q", f, tc.field)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %q, want it to mention %q", err, tc.msg)
			}
		})
	}
}
